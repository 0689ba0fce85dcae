package io.kevo.bench.server;

import io.kevo.bench.report.LatencyHistogram;

/**
 * What one client saw in a phase's timed window: calls completed, gets that found their key, and
 * each call's latency. Not thread-safe: one per client (its calls run one after another), merged
 * once every client has stopped.
 */
public final class Tally {
  final LatencyHistogram latency = new LatencyHistogram();
  long calls;
  long found;

  public void record(long nanos, boolean wasFound) {
    latency.record(nanos);
    calls++;
    if (wasFound) {
      found++;
    }
  }

  /** Every call's latency, ns. */
  public LatencyHistogram latency() {
    return latency;
  }

  /** Calls completed. */
  public long calls() {
    return calls;
  }

  /** Calls whose caller reported {@code true}: gets that found their key; confirmed writes. */
  public long found() {
    return found;
  }

  public void add(Tally other) {
    latency.add(other.latency);
    calls += other.calls;
    found += other.found;
  }
}
