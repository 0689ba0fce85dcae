package io.kevo.bench.server;

/**
 * The stage of a running phase, read by every client after each call: warming up (calls are made,
 * not counted), measuring (completed calls are counted and timed) and draining (no new calls;
 * clients stop). The controlling thread moves it forward. Thread-safe (one volatile).
 */
final class PhaseClock {
  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int DRAIN = 2;

  private volatile int stage = WARMUP;

  boolean measuring() {
    return stage == MEASURE;
  }

  boolean draining() {
    return stage == DRAIN;
  }

  void startMeasuring() {
    stage = MEASURE;
  }

  void drain() {
    stage = DRAIN;
  }
}
