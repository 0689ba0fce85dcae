package io.kevo.engine.internal.sstable;

import java.util.Arrays;

/**
 * Builds one block of prefix-compressed entries (the layout is in {@code package-info.java}). Keys
 * must be added in increasing order; the builder does not check it (the table writer does). Every
 * {@code restartInterval}-th entry stores its key whole and is listed in the restart array, which
 * is what lets a reader binary-search the block. Not thread-safe; reusable after {@link #reset}.
 */
final class BlockBuilder {
  private final int restartInterval;
  private final ByteSink buf;
  private int[] restarts = new int[16];
  private int restartCount;
  private int sinceRestart;
  private int entries;
  private byte[] lastKey = new byte[64];
  private int lastKeyLen;

  BlockBuilder(int restartInterval, int expectedSize) {
    if (restartInterval < 1) {
      throw new IllegalArgumentException("restartInterval must be >= 1");
    }
    this.restartInterval = restartInterval;
    this.buf = new ByteSink(expectedSize + expectedSize / 4);
    reset();
  }

  void reset() {
    buf.reset();
    restartCount = 0;
    restarts[restartCount++] = 0;
    sinceRestart = 0;
    entries = 0;
    lastKeyLen = 0;
  }

  boolean isEmpty() {
    return entries == 0;
  }

  int entryCount() {
    return entries;
  }

  /** Size of the block if finished now: entries, restart array and its count. */
  int estimatedSize() {
    return buf.size() + 4 * restartCount + 4;
  }

  /** Appends an entry whose key is {@code key[0, keyLen)} and value {@code value[0, valueLen)}. */
  void add(byte[] key, int keyLen, byte[] value, int valueLen) {
    int shared = 0;
    if (sinceRestart == restartInterval) {
      if (restartCount == restarts.length) {
        restarts = Arrays.copyOf(restarts, restartCount * 2);
      }
      restarts[restartCount++] = buf.size();
      sinceRestart = 0;
    } else if (entries > 0) {
      int max = Math.min(lastKeyLen, keyLen);
      int mismatch = Arrays.mismatch(lastKey, 0, max, key, 0, max);
      shared = mismatch < 0 ? max : mismatch;
    }
    int nonShared = keyLen - shared;
    buf.writeVarint(shared);
    buf.writeVarint(nonShared);
    buf.writeVarint(valueLen);
    buf.writeBytes(key, shared, nonShared);
    buf.writeBytes(value, 0, valueLen);
    if (keyLen > lastKey.length) {
      lastKey = Arrays.copyOf(lastKey, Math.max(keyLen, lastKey.length * 2));
    }
    System.arraycopy(key, shared, lastKey, shared, nonShared);
    lastKeyLen = keyLen;
    sinceRestart++;
    entries++;
  }

  /**
   * Appends the restart array and returns the finished block's bytes in {@code array()[0, size())}
   * of the returned sink, valid until the next {@link #reset}.
   */
  ByteSink finish() {
    for (int i = 0; i < restartCount; i++) {
      buf.writeFixed32(restarts[i]);
    }
    buf.writeFixed32(restartCount);
    return buf;
  }
}
