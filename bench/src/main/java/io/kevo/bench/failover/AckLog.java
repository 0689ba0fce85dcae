package io.kevo.bench.failover;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What one writer had acknowledged: for each acknowledged put, when the answer arrived ({@link
 * System#nanoTime()}) and the epoch of the primary that committed it; and which of its put numbers
 * were acknowledged (the keys the read-back must find). Not thread-safe: written by its writer's
 * thread only, read after that thread has been joined.
 */
final class AckLog {
  private final int writer;
  private final BitSet acked = new BitSet();
  private long[] times = new long[1024];
  private long[] epochs = new long[1024];
  private int size;

  AckLog(int writer) {
    this.writer = writer;
  }

  int writer() {
    return writer;
  }

  /** Put number {@code n} was acknowledged at {@code atNanos}, committed in {@code epoch}. */
  void acked(long n, long atNanos, long epoch) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      epochs = Arrays.copyOf(epochs, size * 2);
    }
    times[size] = atNanos;
    epochs[size] = epoch;
    size++;
    acked.set(Math.toIntExact(n));
  }

  /** Acknowledged puts. */
  int size() {
    return size;
  }

  long timeAt(int i) {
    return times[i];
  }

  long epochAt(int i) {
    return epochs[i];
  }

  /** The acknowledged put numbers (a copy). */
  BitSet ackedNumbers() {
    return (BitSet) acked.clone();
  }
}
