package io.kevo.engine.internal.sstable;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Recycles the arrays of data blocks the {@link BlockCache} let go of, so that a block read on a
 * cache miss lands in an array that already exists instead of a new one.
 *
 * <p>Why: a cached block lives for as long as the cache takes to turn over (a fraction of a second
 * under a read load larger than the cache), long enough to be copied by the young collections and
 * promoted, short enough to die soon after in the old generation. With half the reads missing, that
 * churn cost about a tenth of the run in collector pauses. A recycled array is written in place and
 * never copied again.
 *
 * <p>Arrays are handed out in size classes, 32 per doubling from 512 bytes to 1 MiB, so a block of
 * 4,200 bytes takes a 4,224-byte array (at most 1/32 wasted, counted in the cache's weights: with
 * eight classes per doubling the cache held a tenth fewer blocks). Sizes outside that span are
 * allocated exactly and never kept. At most {@code maxBytes} wait here unused; beyond that a
 * returned array is left to the collector. Thread-safe.
 */
final class BlockArrays {
  private static final int MIN_CLASS_BITS = 9; // classes start above 512 bytes
  private static final int MAX_POOLED = 1 << 20;
  private static final int CLASSES_PER_DOUBLING = 32;
  private static final int CLASSES =
      (31 - Integer.numberOfLeadingZeros(MAX_POOLED - 1) - MIN_CLASS_BITS + 1)
          * CLASSES_PER_DOUBLING;

  private final long maxBytes;
  private final AtomicLong pooledBytes = new AtomicLong();
  private final LongAdder created = new LongAdder();
  private final LongAdder reused = new LongAdder();
  private final ArrayDeque<byte[]>[] free;

  @SuppressWarnings("unchecked")
  BlockArrays(long maxBytes) {
    this.maxBytes = maxBytes;
    this.free = new ArrayDeque[CLASSES];
    for (int i = 0; i < CLASSES; i++) {
      free[i] = new ArrayDeque<>();
    }
  }

  /** An array of at least {@code length} bytes: a recycled one of its class when one waits. */
  byte[] take(int length) {
    int c = classOf(length);
    if (c < 0) {
      return new byte[length];
    }
    byte[] a;
    ArrayDeque<byte[]> stack = free[c];
    synchronized (stack) {
      a = stack.pollLast();
    }
    if (a == null) {
      created.increment();
      return new byte[sizeOf(c)];
    }
    pooledBytes.addAndGet(-a.length);
    reused.increment();
    return a;
  }

  /**
   * Takes back an array no one reads any more. Arrays this pool did not size (and {@code null}) are
   * ignored, so any array may be offered; the caller must not touch it afterwards.
   */
  void recycle(byte[] a) {
    if (a == null) {
      return;
    }
    int c = classOf(a.length);
    if (c < 0 || sizeOf(c) != a.length) {
      return;
    }
    if (pooledBytes.addAndGet(a.length) > maxBytes) {
      pooledBytes.addAndGet(-a.length);
      return;
    }
    ArrayDeque<byte[]> stack = free[c];
    synchronized (stack) {
      stack.addLast(a);
    }
  }

  /** How many pooled-size arrays {@link #take} had to create because none waited. */
  long created() {
    return created.sum();
  }

  /** How many times {@link #take} handed out an array given back. */
  long reused() {
    return reused.sum();
  }

  /** Bytes waiting to be reused. */
  long pooledBytes() {
    return pooledBytes.get();
  }

  /** The array length a request of {@code length} bytes gets ({@code length} when unpooled). */
  static int classSize(int length) {
    int c = classOf(length);
    return c < 0 ? length : sizeOf(c);
  }

  /**
   * The class of a request of {@code length} bytes: the smallest whose size holds it; -1 if none.
   */
  private static int classOf(int length) {
    if (length <= 1 << MIN_CLASS_BITS || length > MAX_POOLED) {
      return -1;
    }
    int bits = 31 - Integer.numberOfLeadingZeros(length - 1); // 2^bits < length <= 2^(bits+1)
    int step = (1 << bits) / CLASSES_PER_DOUBLING;
    int steps = (length - (1 << bits) + step - 1) / step; // 1..CLASSES_PER_DOUBLING
    return (bits - MIN_CLASS_BITS) * CLASSES_PER_DOUBLING + steps - 1;
  }

  /** The array length of class {@code c}. */
  private static int sizeOf(int c) {
    int base = 1 << (MIN_CLASS_BITS + c / CLASSES_PER_DOUBLING);
    return base + (c % CLASSES_PER_DOUBLING + 1) * (base / CLASSES_PER_DOUBLING);
  }
}
