package io.kevo.engine.internal.version;

import io.kevo.engine.internal.util.RefCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable file set: L0 files newest first (they may overlap), and for each level from 1 a list
 * sorted by key whose files do not overlap.
 *
 * <p>Reference counted: the version set holds one reference while the version is current; every
 * reader, iterator or compaction that uses it takes one with {@link #tryRef()} and gives it back
 * with {@link #unref()}. The last release releases its files.
 */
public final class Version {
  public static final int MAX_LEVELS = 7;

  private final List<List<TableFile>> levels;
  private final RefCount refs = new RefCount();

  Version(List<List<TableFile>> levels) {
    List<List<TableFile>> copy = new ArrayList<>(MAX_LEVELS);
    for (List<TableFile> l : levels) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(l)));
      for (TableFile f : l) {
        f.ref();
      }
    }
    this.levels = Collections.unmodifiableList(copy);
  }

  /** Takes a reference if the version is still alive. */
  public boolean tryRef() {
    return refs.tryRef();
  }

  public void unref() {
    if (refs.unref()) {
      for (List<TableFile> l : levels) {
        for (TableFile f : l) {
          f.unref();
        }
      }
    }
  }

  /** Files of {@code level}: L0 newest first, other levels sorted by smallest key. */
  public List<TableFile> files(int level) {
    return levels.get(level);
  }

  public int fileCount(int level) {
    return levels.get(level).size();
  }

  public long levelBytes(int level) {
    long sum = 0;
    for (TableFile f : levels.get(level)) {
      sum += f.meta().size();
    }
    return sum;
  }

  /** Files of {@code level} whose key range intersects {@code [from, to]} (null = open). */
  public List<TableFile> overlapping(int level, byte[] from, byte[] to) {
    List<TableFile> out = new ArrayList<>();
    for (TableFile f : levels.get(level)) {
      if (f.meta().overlaps(from, to)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * In a sorted, non-overlapping file list: the index of the first file whose largest key is at or
   * after {@code key} ({@code files.size()} if none).
   */
  static int firstEndingAtOrAfter(List<TableFile> files, byte[] key) {
    int lo = 0;
    int hi = files.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Arrays.compareUnsigned(files.get(mid).meta().largestKey(), key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** For levels 1 and up: the one file whose range may hold {@code key}, or null. */
  public TableFile fileFor(int level, byte[] key) {
    List<TableFile> files = levels.get(level);
    int lo = firstEndingAtOrAfter(files, key);
    if (lo < files.size() && Arrays.compareUnsigned(files.get(lo).meta().smallestKey(), key) <= 0) {
      return files.get(lo);
    }
    return null;
  }

  /** Whether any level deeper than {@code level} may hold {@code key}. */
  public boolean deeperLevelsMayContain(int level, byte[] key) {
    for (int l = level + 1; l < MAX_LEVELS; l++) {
      if (fileFor(l, key) != null) {
        return true;
      }
    }
    return false;
  }

  public int totalFiles() {
    int n = 0;
    for (List<TableFile> l : levels) {
      n += l.size();
    }
    return n;
  }
}
