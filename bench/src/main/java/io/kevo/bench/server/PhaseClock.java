package io.kevo.bench.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stage of a running phase, read by every client after each call: warming up (calls are made,
 * not counted), measuring (completed calls are counted and timed) and draining (no new calls;
 * clients stop). The controlling thread moves it forward, and may wait for the first counted call
 * (a short window on a loaded machine can otherwise end before any call completes). Thread-safe
 * (one volatile and a counter).
 */
public final class PhaseClock {
  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int DRAIN = 2;
  private static final long FIRST_CALL_TIMEOUT_SECONDS = 60;

  private volatile int stage = WARMUP;
  private final LongAdder counted = new LongAdder();

  public boolean measuring() {
    return stage == MEASURE;
  }

  public boolean draining() {
    return stage == DRAIN;
  }

  public void startMeasuring() {
    stage = MEASURE;
  }

  public void drain() {
    stage = DRAIN;
  }

  /** A client counted one completed call (it completed while {@link #measuring()}). */
  public void counted() {
    counted.increment();
  }

  /**
   * While measuring, waits until at least one call was counted (at most a minute): a window that
   * ended before any call completed would report a rate of zero.
   */
  public void awaitFirstCounted() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_CALL_TIMEOUT_SECONDS);
    while (counted.sum() == 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a call to complete", e);
      }
    }
  }
}
