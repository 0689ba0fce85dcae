package io.kevo.engine.internal.iter;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** A test double: an {@link InternalIterator} over an in-memory list sorted in internal order. */
final class ListInternalIterator implements InternalIterator {
  private final List<Entry> entries;
  private int pos = -1;
  private boolean closed;

  /** {@code entries} must hold distinct (key, sequence) pairs; they are sorted here. */
  ListInternalIterator(List<Entry> entries) {
    this.entries = new ArrayList<>(entries);
    this.entries.sort(Entry.ORDER);
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public boolean valid() {
    return pos >= 0 && pos < entries.size();
  }

  @Override
  public void seekToFirst() {
    pos = entries.isEmpty() ? -1 : 0;
  }

  @Override
  public void seekToLast() {
    pos = entries.size() - 1;
  }

  @Override
  public void seek(byte[] userKey, long sequence) {
    pos = firstAtOrAfter(userKey, sequence);
  }

  @Override
  public void seekForPrev(byte[] userKey, long sequence) {
    // Last entry <= target: one before the first entry > target.
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).compareTo(userKey, sequence) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    pos = lo - 1;
  }

  private int firstAtOrAfter(byte[] userKey, long sequence) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).compareTo(userKey, sequence) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public void next() {
    check();
    pos++;
  }

  @Override
  public void prev() {
    check();
    pos--;
  }

  @Override
  public byte[] userKey() {
    return check().key().clone();
  }

  @Override
  public long sequence() {
    return check().seq();
  }

  @Override
  public boolean isTombstone() {
    return check().isTombstone();
  }

  @Override
  public byte[] value() {
    byte[] v = check().value();
    return v == null ? null : v.clone();
  }

  @Override
  public void close() {
    closed = true;
    pos = -1;
  }

  private Entry check() {
    if (!valid()) {
      throw new NoSuchElementException();
    }
    return entries.get(pos);
  }
}
