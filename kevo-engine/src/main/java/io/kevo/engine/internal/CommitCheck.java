package io.kevo.engine.internal;

import io.kevo.engine.Isolation;
import io.kevo.engine.TransactionConflictException;
import io.kevo.engine.internal.iter.InternalOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A transaction's commit-time validation, run by the write leader against the committed state and
 * the writes accepted earlier in the same group (which are not in the memtable yet):
 *
 * <ul>
 *   <li>every isolation: a key the transaction writes must not have been written after its snapshot
 *       (first committer wins; this is what makes lost updates impossible);
 *   <li>{@link Isolation#SERIALIZABLE}: nor any key it read, present or absent, nor any key in a
 *       range it scanned.
 * </ul>
 *
 * Not thread-safe: filled by the transaction's thread, then handed to the leader through the commit
 * queue (whose lock publishes it).
 */
final class CommitCheck {
  /** Keys written by writes accepted earlier in the current group. */
  static final class GroupKeys {
    private final TreeSet<byte[]> keys = new TreeSet<>(InternalOrder::compareKeys);

    void add(byte[] key) {
      keys.add(key);
    }

    boolean contains(byte[] key) {
      return keys.contains(key);
    }

    boolean anyInRange(byte[] lo, byte[] hi) {
      byte[] k = lo == null ? (keys.isEmpty() ? null : keys.first()) : keys.ceiling(lo);
      return k != null && (hi == null || InternalOrder.compareKeys(k, hi) < 0);
    }
  }

  private record Range(byte[] lo, byte[] hi) {}

  private final long snapshot;
  private final Isolation isolation;
  private final Collection<byte[]> writes;
  private final List<byte[]> reads = new ArrayList<>();
  private final List<Range> ranges = new ArrayList<>();

  CommitCheck(long snapshot, Isolation isolation, Collection<byte[]> writes) {
    this.snapshot = snapshot;
    this.isolation = isolation;
    this.writes = writes;
  }

  void recordRead(byte[] key) {
    reads.add(key);
  }

  void recordRange(byte[] lo, byte[] hi) {
    ranges.add(new Range(lo, hi));
  }

  /** Throws if a conflicting write was committed after the snapshot. */
  void check(ReadView view, GroupKeys earlier) {
    for (byte[] key : writes) {
      checkKey(view, earlier, key, "wrote");
    }
    if (isolation != Isolation.SERIALIZABLE) {
      return;
    }
    for (byte[] key : reads) {
      checkKey(view, earlier, key, "read");
    }
    for (Range r : ranges) {
      if (earlier.anyInRange(r.lo(), r.hi())) {
        throw conflict(r.lo() == null ? new byte[0] : r.lo(), "scanned a range another writer");
      }
      byte[] changed = ConflictChecks.changedInRange(view, r.lo(), r.hi(), snapshot);
      if (changed != null) {
        throw conflict(changed, "scanned a range in which another writer");
      }
    }
  }

  private void checkKey(ReadView view, GroupKeys earlier, byte[] key, String how) {
    if (earlier.contains(key) || ConflictChecks.writtenAfter(view, key, snapshot)) {
      throw conflict(key, how + " a key that another writer");
    }
  }

  private TransactionConflictException conflict(byte[] key, String what) {
    return new TransactionConflictException(
        key,
        "transaction conflict: it "
            + what
            + " committed after its snapshot at sequence "
            + snapshot
            + " (key "
            + printable(key)
            + "); nothing was written, retry the transaction");
  }

  static String printable(byte[] key) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : key) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.append('"').toString();
  }
}
