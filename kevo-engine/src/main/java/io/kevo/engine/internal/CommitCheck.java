package io.kevo.engine.internal;

import io.kevo.engine.Isolation;
import io.kevo.engine.TransactionConflictException;
import io.kevo.engine.internal.iter.InternalOrder;
import io.kevo.engine.internal.util.KeyText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
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
 * "After its snapshot" is, for a key a pessimistic transaction locked, after the sequence it was
 * locked (and read) at ({@link #lockedAt}): other locking transactions cannot have written it
 * since, so only writers that do not lock can fail this check. A range is checked from the sequence
 * it was scanned at.
 *
 * <p>Not thread-safe: filled by the transaction's thread, then handed to the leader through the
 * commit queue (whose lock publishes it).
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

  private record Range(byte[] lo, byte[] hi, long since) {}

  private final long snapshot;
  private final Isolation isolation;
  private final Collection<byte[]> writes;
  private final List<byte[]> reads = new ArrayList<>();
  private final List<Range> ranges = new ArrayList<>();

  /** Keys a pessimistic transaction locked, by lock sequence; null for an optimistic one. */
  private TreeMap<byte[], Long> lockedAt;

  CommitCheck(long snapshot, Isolation isolation, Collection<byte[]> writes) {
    this.snapshot = snapshot;
    this.isolation = isolation;
    this.writes = writes;
  }

  void recordRead(byte[] key) {
    reads.add(key);
  }

  /** Records a range scanned at sequence {@code since}. */
  void recordRange(byte[] lo, byte[] hi, long since) {
    ranges.add(new Range(lo, hi, since));
  }

  /** Checks {@code key} against writes after {@code sequence}, not after the snapshot. */
  void lockedAt(byte[] key, long sequence) {
    if (lockedAt == null) {
      lockedAt = new TreeMap<>(InternalOrder::compareKeys);
    }
    lockedAt.put(key, sequence);
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
        throw conflict(
            r.lo() == null ? new byte[0] : r.lo(),
            "scanned a range another writer committed after " + scannedAt(r));
      }
      byte[] changed = ConflictChecks.changedInRange(view, r.lo(), r.hi(), r.since());
      if (changed != null) {
        throw conflict(
            changed, "scanned a range in which another writer committed after " + scannedAt(r));
      }
    }
  }

  private void checkKey(ReadView view, GroupKeys earlier, byte[] key, String how) {
    Long locked = lockedAt == null ? null : lockedAt.get(key);
    long since = locked == null ? snapshot : locked;
    if (earlier.contains(key) || ConflictChecks.writtenAfter(view, key, since)) {
      throw conflict(
          key,
          locked == null
              ? how + " a key that another writer committed after its snapshot at sequence " + since
              : how
                  + " and locked a key that a writer taking no locks committed after it was locked"
                  + " at sequence "
                  + since);
    }
  }

  private String scannedAt(Range r) {
    return (r.since() == snapshot ? "its snapshot at sequence " : "sequence ") + r.since();
  }

  private TransactionConflictException conflict(byte[] key, String what) {
    return new TransactionConflictException(
        key,
        "transaction conflict: it "
            + what
            + " (key "
            + KeyText.quoted(key)
            + "); nothing was written, retry the transaction");
  }
}
