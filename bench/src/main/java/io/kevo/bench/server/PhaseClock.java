package io.kevo.bench.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stage of a running phase, read by every client after each call: warming up (calls are made,
 * not counted), measuring (completed calls are counted and timed) and draining (no new calls;
 * clients stop). The controlling thread moves it forward, and may wait for the first counted call
 * (a short window on a loaded machine can otherwise end before any call completes). Thread-safe
 * (one volatile and a latch).
 */
public final class PhaseClock {
  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int DRAIN = 2;
  private static final long FIRST_CALL_TIMEOUT_SECONDS = 60;

  private volatile int stage = WARMUP;
  private final CountDownLatch firstCounted = new CountDownLatch(1);

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
    if (firstCounted.getCount() != 0) { // after the first call, one volatile read and nothing more
      firstCounted.countDown();
    }
  }

  /**
   * While measuring, waits until at least one call was counted (at most a minute): a window that
   * ended before any call completed would report a rate of zero.
   */
  public void awaitFirstCounted() {
    try {
      firstCounted.await(FIRST_CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a call to complete", e);
    }
  }
}
