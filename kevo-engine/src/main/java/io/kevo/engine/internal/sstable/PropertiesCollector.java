package io.kevo.engine.internal.sstable;

import io.kevo.engine.Compression;

/** Accumulates a table's {@link TableProperties} as its writer adds entries. Not thread-safe. */
final class PropertiesCollector {
  long entryCount;
  long tombstoneCount;
  long rawKeyBytes;
  long rawValueBytes;
  long minSequence = Long.MAX_VALUE;
  long maxSequence = Long.MIN_VALUE;
  long dataBlockCount;
  long lastSequence;
  private byte[] smallestUserKey;
  private long smallestSequence;

  /**
   * Records an entry. Only the first key is copied; the largest is handed in at the end because
   * callers may reuse their key arrays (iterators do).
   */
  void add(byte[] userKey, long sequence, boolean tombstone, int valueLength) {
    if (entryCount == 0) {
      smallestUserKey = userKey.clone();
      smallestSequence = sequence;
    }
    entryCount++;
    if (tombstone) {
      tombstoneCount++;
    }
    rawKeyBytes += userKey.length;
    rawValueBytes += valueLength;
    minSequence = Math.min(minSequence, sequence);
    maxSequence = Math.max(maxSequence, sequence);
    lastSequence = sequence;
  }

  TableProperties toProperties(
      byte[] largestUserKey, long dataSize, Compression compression, long fileSize) {
    return new TableProperties(
        TableFormat.FORMAT_VERSION,
        entryCount,
        tombstoneCount,
        smallestUserKey.clone(),
        smallestSequence,
        largestUserKey,
        lastSequence,
        minSequence,
        maxSequence,
        rawKeyBytes,
        rawValueBytes,
        dataSize,
        dataBlockCount,
        compression,
        fileSize);
  }
}
