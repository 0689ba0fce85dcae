package io.kevo.engine.internal.compaction;

import java.util.Arrays;

/**
 * Decides which versions a flush or compaction keeps, from a stream in internal order (LevelDB's
 * rule). A version is dropped when a newer version of the same key is visible at the oldest
 * snapshot (so no reader can ever see the older one). A tombstone is dropped when it is itself
 * visible at the oldest snapshot and no older data it hides can exist below the output ({@code
 * baseLevel}); otherwise it must stay to keep hiding that data. Not thread-safe.
 */
final class VersionFilter {
  /** Whether deeper levels may still hold {@code key}. */
  interface BaseLevelCheck {
    boolean deeperMayContain(byte[] key);
  }

  private final long oldestSnapshot;
  private final BaseLevelCheck deeper;
  private byte[] currentKey;
  private long lastSequenceForKey;
  private long dropped;

  /**
   * @param oldestSnapshot the lowest sequence any reader may read at (the latest sequence when no
   *     snapshot is open)
   * @param deeper null to never drop tombstones (a flush: older L0 files may hold the key)
   */
  VersionFilter(long oldestSnapshot, BaseLevelCheck deeper) {
    this.oldestSnapshot = oldestSnapshot;
    this.deeper = deeper;
  }

  boolean keep(byte[] key, long sequence, boolean tombstone) {
    if (currentKey == null || !Arrays.equals(currentKey, key)) {
      currentKey = key.clone();
      lastSequenceForKey = Long.MAX_VALUE;
    }
    boolean drop;
    if (lastSequenceForKey <= oldestSnapshot) {
      drop = true;
    } else {
      drop =
          tombstone
              && sequence <= oldestSnapshot
              && deeper != null
              && !deeper.deeperMayContain(key);
    }
    lastSequenceForKey = sequence;
    if (drop) {
      dropped++;
    }
    return !drop;
  }

  long dropped() {
    return dropped;
  }
}
