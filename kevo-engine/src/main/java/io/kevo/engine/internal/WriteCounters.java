package io.kevo.engine.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The write and read counters reported in {@link io.kevo.engine.DbStats}: every write entry point
 * counts through {@link #wrote}, once its write is committed, so the counters are updated in one
 * place.
 *
 * <p>Thread-safe: any thread adds ({@link LongAdder}); sums are read without a lock and may be
 * slightly behind writes in progress.
 */
final class WriteCounters {
  private final LongAdder puts = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder gets = new LongAdder();
  private final LongAdder tablesProbed = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();

  /** A committed write of {@code puts} puts and {@code deletes} deletes in {@code batches}. */
  void wrote(long puts, long deletes, long batches, long bytes) {
    if (batches != 0) {
      this.batches.add(batches);
    }
    if (puts != 0) {
      this.puts.add(puts);
    }
    if (deletes != 0) {
      this.deletes.add(deletes);
    }
    bytesWritten.add(bytes);
  }

  void gotten() {
    gets.increment();
  }

  /** A point read consulted one more SSTable (its key range held the key). */
  void probedTable() {
    tablesProbed.increment();
  }

  long puts() {
    return puts.sum();
  }

  long deletes() {
    return deletes.sum();
  }

  long batches() {
    return batches.sum();
  }

  long gets() {
    return gets.sum();
  }

  long tablesProbed() {
    return tablesProbed.sum();
  }

  /** User bytes written: keys plus values. */
  long bytesWritten() {
    return bytesWritten.sum();
  }
}
