package io.kevo.engine.internal.sstable;

/**
 * Where a block lives in a table: {@code offset} of its first stored byte and {@code size} of its
 * stored (possibly compressed) bytes, not counting the 5-byte trailer that follows.
 */
record BlockHandle(long offset, long size) {
  static final BlockHandle NONE = new BlockHandle(0, 0);

  /** The offset just past this block's trailer. */
  long end() {
    return offset + size + TableFormat.BLOCK_TRAILER_SIZE;
  }
}
