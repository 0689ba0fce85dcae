package io.kevo.engine.internal.sstable;

import io.kevo.engine.internal.iter.InternalIterator;

/**
 * A two-level iterator over a table: the index picks the data block, a {@link BlockIterator} walks
 * it, and crossing a block edge loads the neighbour (through the cache). Both directions and
 * switches between them work because each level can step either way. Keys and values returned are
 * fresh arrays the caller may keep. Holds a reference on the block it stands in (released on moving
 * to another block and on {@link #close}). Not thread-safe; does not pin the reader, which its
 * owner must keep open until this is closed.
 */
final class TableIterator implements InternalIterator {
  private final TableReader table;
  private final int blockCount;
  private int blockIndex = -1;
  private BlockIterator block;
  private Block held;
  private boolean closed;

  TableIterator(TableReader table) {
    this.table = table;
    this.blockCount = table.index().blockCount();
  }

  @Override
  public boolean valid() {
    return block != null && block.valid();
  }

  @Override
  public void seekToFirst() {
    load(0);
    block.seekToFirst();
    skipForward();
  }

  @Override
  public void seekToLast() {
    load(blockCount - 1);
    block.seekToLast();
    skipBackward();
  }

  @Override
  public void seek(byte[] userKey, long sequence) {
    checkOpen();
    int i = table.index().find(userKey, sequence);
    if (i >= blockCount) {
      block = null;
      return;
    }
    load(i);
    block.seek(userKey, sequence);
    skipForward();
  }

  @Override
  public void seekForPrev(byte[] userKey, long sequence) {
    seek(userKey, sequence);
    if (!valid()) {
      seekToLast();
    } else if (block.compareCurrent(userKey, sequence) > 0) {
      prev();
    }
  }

  @Override
  public void next() {
    requireValid();
    block.next();
    skipForward();
  }

  @Override
  public void prev() {
    requireValid();
    block.prev();
    skipBackward();
  }

  @Override
  public byte[] userKey() {
    requireValid();
    return block.userKey();
  }

  @Override
  public long sequence() {
    requireValid();
    return block.sequence();
  }

  @Override
  public boolean isTombstone() {
    requireValid();
    return block.isTombstone();
  }

  @Override
  public byte[] value() {
    requireValid();
    return block.value();
  }

  @Override
  public void close() {
    closed = true;
    block = null;
    releaseHeld();
  }

  private void load(int i) {
    checkOpen();
    if (i != blockIndex || block == null) {
      Block next = table.dataBlock(i);
      releaseHeld();
      held = next;
      block = new BlockIterator(next);
      blockIndex = i;
    }
  }

  private void releaseHeld() {
    if (held != null) {
      Block b = held;
      held = null;
      b.release();
    }
  }

  private void skipForward() {
    while (!block.valid() && blockIndex + 1 < blockCount) {
      load(blockIndex + 1);
      block.seekToFirst();
    }
  }

  private void skipBackward() {
    while (!block.valid() && blockIndex > 0) {
      load(blockIndex - 1);
      block.seekToLast();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("iterator is closed");
    }
  }

  private void requireValid() {
    if (!valid()) {
      throw new IllegalStateException(closed ? "iterator is closed" : "iterator is not valid");
    }
  }
}
