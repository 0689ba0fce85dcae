package io.kevo.engine.internal.compaction;

import io.kevo.engine.internal.version.FileMeta;
import io.kevo.engine.internal.version.TableFile;
import io.kevo.engine.internal.version.Version;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Leveled compaction policy. L0 is scored by file count against the trigger; level {@code n >= 1}
 * by bytes against its target, {@code level1MaxBytes * ratio^(n-1)}. The highest score of at least
 * 1 is compacted: all of L0 with the overlapping L1 files, or one file of Ln (taken round robin
 * through the key space, so every range is eventually rewritten) with the overlapping files of
 * Ln+1. Not thread-safe (used by the single background worker).
 */
final class CompactionPicker {
  private final int l0Trigger;
  private final long level1MaxBytes;
  private final int ratio;
  private final byte[][] nextKey = new byte[Version.MAX_LEVELS][];

  CompactionPicker(int l0Trigger, long level1MaxBytes, int ratio) {
    this.l0Trigger = l0Trigger;
    this.level1MaxBytes = level1MaxBytes;
    this.ratio = ratio;
  }

  long maxBytes(int level) {
    long max = level1MaxBytes;
    for (int l = 1; l < level; l++) {
      max *= ratio;
    }
    return max;
  }

  double score(Version v, int level) {
    if (level == 0) {
      return (double) v.fileCount(0) / l0Trigger;
    }
    return (double) v.levelBytes(level) / maxBytes(level);
  }

  /** The most urgent compaction, or null if every level is within its target. */
  Compaction pick(Version v) {
    int best = -1;
    double bestScore = 1.0;
    for (int level = 0; level < Version.MAX_LEVELS - 1; level++) {
      double s = score(v, level);
      if (s >= bestScore) {
        best = level;
        bestScore = s;
      }
    }
    if (best < 0) {
      return null;
    }
    String reason = String.format("L%d score %.2f", best, bestScore);
    if (best == 0) {
      return withOverlaps(v, 0, 1, new ArrayList<>(v.files(0)), false, reason);
    }
    List<TableFile> files = v.files(best);
    TableFile chosen = files.get(0);
    if (nextKey[best] != null) {
      for (TableFile f : files) {
        if (Arrays.compareUnsigned(f.meta().smallestKey(), nextKey[best]) >= 0) {
          chosen = f;
          break;
        }
      }
    }
    nextKey[best] = successor(chosen.meta().largestKey());
    return withOverlaps(v, best, best + 1, List.of(chosen), false, reason);
  }

  /**
   * A manual compaction of {@code level}'s files overlapping {@code [from, to]}, or null if the
   * level has none there. They go one level down, unless no deeper level holds data in the range:
   * then they are rewritten where they are (L0 still goes to L1), which is enough to drop every
   * hidden version and tombstone without pushing the data down the whole tree.
   */
  Compaction forRange(Version v, int level, byte[] from, byte[] to) {
    List<TableFile> inputs = v.overlapping(level, from, to);
    if (inputs.isEmpty()) {
      return null;
    }
    if (level == 0) {
      // L0 files overlap each other: take all of them so no older version is left above a newer.
      inputs = new ArrayList<>(v.files(0));
    }
    boolean deeper = false;
    for (int l = level + 1; l < Version.MAX_LEVELS; l++) {
      deeper |= !v.overlapping(l, from, to).isEmpty();
    }
    int out = deeper || level == 0 ? level + 1 : level;
    return withOverlaps(v, level, out, inputs, true, "manual compaction of L" + level);
  }

  private static Compaction withOverlaps(
      Version v,
      int level,
      int outputLevel,
      List<TableFile> inputs,
      boolean manual,
      String reason) {
    byte[] lo = null;
    byte[] hi = null;
    for (TableFile f : inputs) {
      FileMeta m = f.meta();
      if (lo == null || Arrays.compareUnsigned(m.smallestKey(), lo) < 0) {
        lo = m.smallestKey();
      }
      if (hi == null || Arrays.compareUnsigned(m.largestKey(), hi) > 0) {
        hi = m.largestKey();
      }
    }
    List<TableFile> next = outputLevel == level ? List.of() : v.overlapping(outputLevel, lo, hi);
    return new Compaction(level, outputLevel, inputs, next, manual, reason);
  }

  /** The smallest key ordered after {@code key}: the round-robin cursor for the next pick. */
  private static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }
}
