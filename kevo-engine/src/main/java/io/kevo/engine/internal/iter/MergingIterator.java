package io.kevo.engine.internal.iter;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Merges several {@link InternalIterator}s into one stream in internal order, forward and reverse
 * (LevelDB's MergingIterator, with a binary heap so each step costs O(log N) comparisons).
 *
 * <p>Children are given newest source first (active memtable, immutable memtables, L0 newest first,
 * then L1..Ln). The same (key, sequence) in two sources would be a bug elsewhere; should it happen
 * anyway, the merged order breaks the tie by child index, earlier child first, in both directions,
 * so the stream is still a well-defined sequence that {@link #prev()} walks exactly backwards.
 *
 * <p>Direction: while moving forward every child is positioned at its first entry after the current
 * one (a min-heap); while moving backward at its last entry before it (a max-heap). A direction
 * switch therefore re-seeks every child other than the current one, as LevelDB does.
 *
 * <p>Arrays returned by {@link #userKey()} and {@link #value()} are the current child's, with that
 * child's ownership rules. Not thread-safe. {@link #close()} closes every child.
 */
public final class MergingIterator implements InternalIterator {
  private final InternalIterator[] children;

  /** Per child, its current key and sequence while it is in the heap (saves interface calls). */
  private final byte[][] keys;

  private final long[] sequences;
  private final int[] heap;
  private int size;
  private boolean forward = true;
  private boolean closed;

  /** Takes ownership of {@code children} (closed by {@link #close()}), newest source first. */
  public MergingIterator(List<? extends InternalIterator> children) {
    this.children = children.toArray(new InternalIterator[0]);
    this.keys = new byte[this.children.length][];
    this.sequences = new long[this.children.length];
    this.heap = new int[this.children.length];
  }

  @Override
  public boolean valid() {
    return size > 0;
  }

  @Override
  public void seekToFirst() {
    for (InternalIterator c : children) {
      c.seekToFirst();
    }
    rebuild(true);
  }

  @Override
  public void seekToLast() {
    for (InternalIterator c : children) {
      c.seekToLast();
    }
    rebuild(false);
  }

  @Override
  public void seek(byte[] userKey, long sequence) {
    for (InternalIterator c : children) {
      c.seek(userKey, sequence);
    }
    rebuild(true);
  }

  @Override
  public void seekForPrev(byte[] userKey, long sequence) {
    for (InternalIterator c : children) {
      c.seekForPrev(userKey, sequence);
    }
    rebuild(false);
  }

  @Override
  public void next() {
    int cur = current();
    if (!forward) {
      // Every other child sits before the current entry; move each to its first entry after it.
      byte[] k = keys[cur];
      long s = sequences[cur];
      for (int j = 0; j < children.length; j++) {
        if (j != cur) {
          InternalIterator c = children[j];
          c.seek(k, s);
          if (j < cur
              && c.valid()
              && c.sequence() == s
              && InternalOrder.compareKeys(c.userKey(), k) == 0) {
            c.next(); // an equal entry in an earlier child orders before the current one
          }
        }
      }
      rebuild(true);
      // The current child is still the heap's top: it was the only one left at the entry.
    }
    advanceTop(true);
  }

  @Override
  public void prev() {
    int cur = current();
    if (forward) {
      byte[] k = keys[cur];
      long s = sequences[cur];
      for (int j = 0; j < children.length; j++) {
        if (j != cur) {
          InternalIterator c = children[j];
          c.seekForPrev(k, s);
          if (j > cur
              && c.valid()
              && c.sequence() == s
              && InternalOrder.compareKeys(c.userKey(), k) == 0) {
            c.prev(); // an equal entry in a later child orders after the current one
          }
        }
      }
      rebuild(false);
    }
    advanceTop(false);
  }

  @Override
  public byte[] userKey() {
    return keys[current()];
  }

  @Override
  public long sequence() {
    return sequences[current()];
  }

  @Override
  public boolean isTombstone() {
    return children[current()].isTombstone();
  }

  @Override
  public byte[] value() {
    return children[current()].value();
  }

  /**
   * Closes every child, even if some throw; the first failure is rethrown with the rest suppressed.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    size = 0;
    RuntimeException failure = null;
    for (InternalIterator c : children) {
      try {
        c.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    Arrays.fill(keys, null);
    if (failure != null) {
      throw failure;
    }
  }

  private int current() {
    if (size == 0) {
      throw new NoSuchElementException("iterator is not positioned on an entry");
    }
    return heap[0];
  }

  /** Steps the top child in the heap's direction and restores the heap. */
  private void advanceTop(boolean fwd) {
    int top = heap[0];
    InternalIterator c = children[top];
    if (fwd) {
      c.next();
    } else {
      c.prev();
    }
    if (c.valid()) {
      load(top);
    } else {
      keys[top] = null;
      heap[0] = heap[--size];
    }
    siftDown(0);
  }

  /** Rebuilds the heap from every valid child for the given direction. */
  private void rebuild(boolean fwd) {
    forward = fwd;
    size = 0;
    for (int i = 0; i < children.length; i++) {
      if (children[i].valid()) {
        load(i);
        heap[size++] = i;
      } else {
        keys[i] = null;
      }
    }
    for (int i = size / 2 - 1; i >= 0; i--) {
      siftDown(i);
    }
  }

  private void load(int child) {
    keys[child] = children[child].userKey();
    sequences[child] = children[child].sequence();
  }

  private void siftDown(int i) {
    int x = heap[i];
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        break;
      }
      int r = l + 1;
      int best = r < size && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[best], x)) {
        break;
      }
      heap[i] = heap[best];
      i = best;
    }
    if (i < size) {
      heap[i] = x;
    }
  }

  /** Whether child {@code a}'s entry comes out of the heap before child {@code b}'s. */
  private boolean before(int a, int b) {
    int c = InternalOrder.compareKeys(keys[a], keys[b]);
    if (c == 0) {
      c = Long.compare(sequences[b], sequences[a]);
      if (c == 0) {
        c = Integer.compare(a, b);
      }
    }
    return forward ? c < 0 : c > 0;
  }
}
