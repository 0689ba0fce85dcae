package io.kevo.engine.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * How often and how long writers were held back by the LSM tree's limits (see {@link LsmState}):
 * write groups delayed because L0 reached the slowdown trigger, and stops, where writers waited for
 * a flush (too many frozen memtables) or for compaction (L0 at the stop trigger).
 *
 * <p>Thread-safe: the write leader of the moment records; any thread reads.
 */
final class WriteStalls {
  private final LongAdder slowdowns = new LongAdder();
  private final LongAdder stops = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  /** A write group delayed by {@code nanos} at the L0 slowdown trigger. */
  void slowedDown(long nanos) {
    slowdowns.increment();
    this.nanos.add(nanos);
  }

  /** Writers stopped for {@code nanos} until a flush or compaction made room. */
  void stopped(long nanos) {
    stops.increment();
    this.nanos.add(nanos);
  }

  long slowdowns() {
    return slowdowns.sum();
  }

  long stops() {
    return stops.sum();
  }

  /** Time writers spent delayed or stopped, in nanoseconds. */
  long nanos() {
    return nanos.sum();
  }
}
