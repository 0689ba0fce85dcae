package io.kevo.bench.server;

/**
 * The stage of a running phase, read by every client after each call: warming up (calls are made,
 * not counted), measuring (completed calls are counted and timed) and draining (no new calls;
 * clients stop). The controlling thread moves it forward. Thread-safe (one volatile).
 */
public final class PhaseClock {
  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int DRAIN = 2;

  private volatile int stage = WARMUP;

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
}
