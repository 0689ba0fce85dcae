package io.kevo.engine.internal;

import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import io.kevo.engine.internal.iter.MergingIterator;
import io.kevo.engine.internal.sstable.TableGet;
import io.kevo.engine.internal.version.TableFile;
import io.kevo.engine.internal.version.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * What a transaction's commit check asks of the committed state: the newest sequence written to a
 * key, and whether anything in a key range was written after a sequence. Run by the write leader,
 * so the answers cannot change before the checked transaction is logged.
 *
 * <p>Cost: a key costs one point lookup (memtables, then at most one table per level, with bloom
 * filters); a range costs a walk over the memtables and only those tables whose newest sequence is
 * above the snapshot — never over the whole database.
 */
final class ConflictChecks {
  private ConflictChecks() {}

  /**
   * Whether a write to {@code key} was committed after {@code snapshot}. Sources are consulted
   * newest first, skipping every frozen memtable and table whose newest sequence is at or below the
   * snapshot: none of their versions can be newer, and a version in a deeper source is older than
   * any version of the same key in a shallower one. For a short transaction that leaves the mutable
   * memtable and hardly any table.
   */
  static boolean writtenAfter(ReadView view, byte[] key, long snapshot) {
    long s = view.active.latestSequence(key);
    if (s >= 0) {
      return s > snapshot;
    }
    for (ReadView.Frozen f : view.frozen) {
      if (f.maxSequence() > snapshot) {
        s = f.table().latestSequence(key);
        if (s >= 0) {
          return s > snapshot;
        }
      }
    }
    Version v = view.version;
    for (TableFile f : v.files(0)) {
      if (f.meta().maxSequence() > snapshot && f.meta().mayContain(key)) {
        TableGet g = f.reader().get(key, Long.MAX_VALUE);
        if (g.status() != TableGet.Status.ABSENT) {
          return g.sequence() > snapshot;
        }
      }
    }
    for (int level = 1; level < Version.MAX_LEVELS; level++) {
      TableFile f = v.fileFor(level, key);
      if (f != null && f.meta().maxSequence() > snapshot) {
        TableGet g = f.reader().get(key, Long.MAX_VALUE);
        if (g.status() != TableGet.Status.ABSENT) {
          return g.sequence() > snapshot;
        }
      }
    }
    return false;
  }

  /**
   * A key in {@code [lo, hi)} (null = open) written after {@code sequence}, or null if none was.
   */
  static byte[] changedInRange(ReadView view, byte[] lo, byte[] hi, long sequence) {
    List<InternalIterator> sources = new ArrayList<>();
    sources.add(view.active.newIterator());
    for (ReadView.Frozen f : view.frozen) {
      if (f.maxSequence() > sequence) {
        sources.add(f.table().newIterator());
      }
    }
    Version v = view.version;
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      for (TableFile f : v.files(level)) {
        if (f.meta().maxSequence() > sequence && f.meta().overlaps(lo, hi)) {
          sources.add(f.reader().newIterator());
        }
      }
    }
    try (InternalIterator it = new MergingIterator(sources)) {
      if (lo == null) {
        it.seekToFirst();
      } else {
        it.seek(lo, InternalOrder.MAX_SEQUENCE);
      }
      for (; it.valid(); it.next()) {
        if (hi != null && InternalOrder.compareKeys(it.userKey(), hi) >= 0) {
          return null;
        }
        if (it.sequence() > sequence) {
          return it.userKey().clone();
        }
      }
    }
    return null;
  }
}
