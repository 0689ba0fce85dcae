package io.kevo.engine.internal.memtable;

import io.kevo.engine.internal.iter.InternalIterator;
import java.util.NoSuchElementException;

/**
 * An {@link InternalIterator} over a {@link SkipList}: forward steps follow level-0 links, reverse
 * steps and {@link #seekToLast()} are O(log n) searches from the head (the list has no back links).
 *
 * <p>Concurrency: safe while the single writer inserts. Each step sees the nodes published before
 * it read the link it follows, so a scan sees a consistent subset of the list in order; entries
 * inserted during the scan carry sequences above any read sequence taken before, and the
 * user-facing iterator filters them out.
 *
 * <p>Returned arrays: {@link #userKey()} and {@link #value()} are copies out of the memtable's
 * arena, made at most once per position (on first call) and never reused or modified by this
 * iterator, so a caller may keep them after the iterator moves. Not thread-safe (one reader per
 * iterator).
 */
final class MemTableIterator implements InternalIterator {
  private final SkipList list;
  private int node = SkipList.NONE;
  private byte[] key;
  private byte[] value;

  MemTableIterator(SkipList list) {
    this.list = list;
  }

  @Override
  public boolean valid() {
    return node != SkipList.NONE;
  }

  @Override
  public void seekToFirst() {
    moveTo(list.first());
  }

  @Override
  public void seekToLast() {
    moveTo(list.last());
  }

  @Override
  public void seek(byte[] userKey, long sequence) {
    moveTo(list.seek(userKey, sequence));
  }

  @Override
  public void seekForPrev(byte[] userKey, long sequence) {
    moveTo(list.seekForPrev(userKey, sequence));
  }

  @Override
  public void next() {
    moveTo(list.next(current()));
  }

  @Override
  public void prev() {
    moveTo(list.findLessThan(current()));
  }

  @Override
  public byte[] userKey() {
    if (key == null) {
      key = list.key(current());
    }
    return key;
  }

  @Override
  public long sequence() {
    return list.sequence(current());
  }

  @Override
  public boolean isTombstone() {
    return list.isTombstone(current());
  }

  @Override
  public byte[] value() {
    int n = current();
    if (list.isTombstone(n)) {
      return null;
    }
    if (value == null) {
      value = list.value(n);
    }
    return value;
  }

  @Override
  public void close() {
    moveTo(SkipList.NONE);
  }

  private void moveTo(int n) {
    node = n;
    key = null;
    value = null;
  }

  private int current() {
    if (node == SkipList.NONE) {
      throw new NoSuchElementException("iterator is not positioned on an entry");
    }
    return node;
  }
}
