package io.kevo.engine.internal.sstable;

import io.kevo.engine.internal.iter.InternalOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded index block: for each data block, in file order, its last internal key and its
 * handle. Held in arrays (not re-parsed per lookup) because every get and seek starts here.
 * Immutable and thread-safe.
 */
final class TableIndex {
  private final byte[][] lastUserKeys;
  private final long[] lastSequences;
  private final long[] offsets;
  private final long[] sizes;

  private TableIndex(byte[][] lastUserKeys, long[] lastSequences, long[] offsets, long[] sizes) {
    this.lastUserKeys = lastUserKeys;
    this.lastSequences = lastSequences;
    this.offsets = offsets;
    this.sizes = sizes;
  }

  /**
   * Decodes the index block and checks that the data blocks it lists tile {@code [0, dataSize)}
   * exactly, in order, with keys ascending.
   *
   * @throws FormatException if they do not (entry-level damage throws CORRUPTION directly)
   */
  static TableIndex decode(Block block, long dataSize) {
    List<byte[]> keys = new ArrayList<>();
    List<long[]> rest = new ArrayList<>();
    BlockIterator it = new BlockIterator(block);
    long expectedOffset = 0;
    byte[] prevKey = null;
    long prevSeq = 0;
    for (it.seekToFirst(); it.valid(); it.next()) {
      Decoder d = it.valueDecoder();
      long offset = d.readVarint64();
      long size = d.readVarint64();
      d.expectEnd();
      if (offset != expectedOffset || size <= 0 || size > TableFormat.MAX_BLOCK_SIZE) {
        throw new FormatException("index entry " + keys.size() + " has bad handle " + offset);
      }
      byte[] key = it.userKey();
      long seq = it.sequence();
      if (prevKey != null && InternalOrder.compare(prevKey, prevSeq, key, seq) >= 0) {
        throw new FormatException("index keys out of order at entry " + keys.size());
      }
      keys.add(key);
      rest.add(new long[] {seq, offset, size});
      expectedOffset = offset + size + TableFormat.BLOCK_TRAILER_SIZE;
      prevKey = key;
      prevSeq = seq;
    }
    if (keys.isEmpty() || expectedOffset != dataSize) {
      throw new FormatException(
          "index covers " + expectedOffset + " bytes of " + dataSize + " bytes of data blocks");
    }
    int n = keys.size();
    long[] seqs = new long[n];
    long[] offsets = new long[n];
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      long[] r = rest.get(i);
      seqs[i] = r[0];
      offsets[i] = r[1];
      sizes[i] = r[2];
    }
    return new TableIndex(keys.toArray(new byte[0][]), seqs, offsets, sizes);
  }

  int blockCount() {
    return offsets.length;
  }

  BlockHandle handle(int block) {
    return new BlockHandle(offsets[block], sizes[block]);
  }

  long offset(int block) {
    return offsets[block];
  }

  /**
   * The first block whose last key is at or after {@code (userKey, sequence)}, i.e. the only block
   * that can hold the first entry at or after it; {@link #blockCount()} if there is none.
   */
  int find(byte[] userKey, long sequence) {
    int lo = 0;
    int hi = offsets.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (InternalOrder.compare(lastUserKeys[mid], lastSequences[mid], userKey, sequence) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
