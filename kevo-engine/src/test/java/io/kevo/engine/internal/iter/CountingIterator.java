package io.kevo.engine.internal.iter;

import java.util.ArrayList;
import java.util.List;

/** Wraps an {@link InternalIterator} and records every entry it is moved onto. */
final class CountingIterator implements InternalIterator {
  private final InternalIterator inner;
  final List<byte[]> visitedKeys = new ArrayList<>();
  int moves;
  int closes;

  /** If set, {@link #close()} throws it after closing the inner iterator. */
  RuntimeException closeFailure;

  CountingIterator(InternalIterator inner) {
    this.inner = inner;
  }

  private void record() {
    moves++;
    if (inner.valid()) {
      visitedKeys.add(inner.userKey().clone());
    }
  }

  void reset() {
    visitedKeys.clear();
    moves = 0;
  }

  @Override
  public boolean valid() {
    return inner.valid();
  }

  @Override
  public void seekToFirst() {
    inner.seekToFirst();
    record();
  }

  @Override
  public void seekToLast() {
    inner.seekToLast();
    record();
  }

  @Override
  public void seek(byte[] userKey, long sequence) {
    inner.seek(userKey, sequence);
    record();
  }

  @Override
  public void seekForPrev(byte[] userKey, long sequence) {
    inner.seekForPrev(userKey, sequence);
    record();
  }

  @Override
  public void next() {
    inner.next();
    record();
  }

  @Override
  public void prev() {
    inner.prev();
    record();
  }

  @Override
  public byte[] userKey() {
    return inner.userKey();
  }

  @Override
  public long sequence() {
    return inner.sequence();
  }

  @Override
  public boolean isTombstone() {
    return inner.isTombstone();
  }

  @Override
  public byte[] value() {
    return inner.value();
  }

  @Override
  public void close() {
    closes++;
    inner.close();
    if (closeFailure != null) {
      throw closeFailure;
    }
  }
}
