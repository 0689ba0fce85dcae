package io.kevo.engine.internal;

import io.kevo.engine.ScanOptions;
import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.MergingIterator;
import io.kevo.engine.internal.iter.UserIterator;
import io.kevo.engine.internal.memtable.MemTable;
import io.kevo.engine.internal.sstable.TableGet;
import io.kevo.engine.internal.version.LevelIterator;
import io.kevo.engine.internal.version.TableFile;
import io.kevo.engine.internal.version.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * Point lookups and iterators over a {@link ReadView}: memtables newest first, then L0 files newest
 * first, then at most one file per deeper level; the first version found at or below the read
 * sequence decides.
 */
final class ReadPath {
  private ReadPath() {}

  /**
   * The value of {@code key} at {@code sequence}, or null if absent or deleted; each SSTable
   * consulted is counted in {@code counters}.
   */
  static byte[] get(ReadView view, byte[] key, long sequence, WriteCounters counters) {
    byte[][] out = new byte[1][];
    MemTable.Lookup r = view.active.get(key, sequence, out);
    if (r != MemTable.Lookup.ABSENT) {
      return r == MemTable.Lookup.FOUND ? out[0] : null;
    }
    for (ReadView.Frozen f : view.frozen) {
      r = f.table().get(key, sequence, out);
      if (r != MemTable.Lookup.ABSENT) {
        return r == MemTable.Lookup.FOUND ? out[0] : null;
      }
    }
    Version v = view.version;
    for (TableFile f : v.files(0)) {
      if (f.meta().mayContain(key) && f.meta().minSequence() <= sequence) {
        counters.probedTable();
        TableGet g = f.reader().get(key, sequence);
        if (g.status() != TableGet.Status.ABSENT) {
          return g.status() == TableGet.Status.FOUND ? g.value() : null;
        }
      }
    }
    for (int level = 1; level < Version.MAX_LEVELS; level++) {
      TableFile f = v.fileFor(level, key);
      if (f != null && f.meta().minSequence() <= sequence) {
        counters.probedTable();
        TableGet g = f.reader().get(key, sequence);
        if (g.status() != TableGet.Status.ABSENT) {
          return g.status() == TableGet.Status.FOUND ? g.value() : null;
        }
      }
    }
    return null;
  }

  /**
   * A user iterator over everything in {@code view} at {@code sequence}, bounded by {@code scan};
   * closing it runs {@code onClose} (which releases the view).
   */
  static UserIterator iterator(ReadView view, long sequence, ScanOptions scan, Runnable onClose) {
    return user(new MergingIterator(sources(view, onClose)), sequence, scan, onClose);
  }

  /** A user iterator over {@code merged} at {@code sequence} within {@code scan}'s bounds. */
  static UserIterator user(
      InternalIterator merged, long sequence, ScanOptions scan, Runnable onClose) {
    return new UserIterator(
        merged,
        sequence,
        scan.start(),
        scan.end(),
        scan.prefixBytes(),
        scan.suffixBytes(),
        onClose);
  }

  /**
   * One internal iterator per source of {@code view}, newest first (levels from 1 as one iterator
   * each). On failure closes what it opened and runs {@code onFailure}.
   */
  static List<InternalIterator> sources(ReadView view, Runnable onFailure) {
    List<InternalIterator> sources = new ArrayList<>();
    try {
      sources.add(view.active.newIterator());
      for (ReadView.Frozen f : view.frozen) {
        sources.add(f.table().newIterator());
      }
      Version v = view.version;
      for (TableFile f : v.files(0)) {
        sources.add(f.reader().newIterator());
      }
      for (int level = 1; level < Version.MAX_LEVELS; level++) {
        if (v.fileCount(level) > 0) {
          sources.add(new LevelIterator(v.files(level)));
        }
      }
    } catch (RuntimeException e) {
      for (InternalIterator it : sources) {
        it.close();
      }
      onFailure.run();
      throw e;
    }
    return sources;
  }
}
