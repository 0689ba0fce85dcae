package io.kevo.bench.report;

import java.util.Arrays;
import java.util.List;

/**
 * Every latency sample of one writer, in nanoseconds, kept exactly (8 bytes a sample) so the
 * percentiles need no bucketing. Not thread-safe: one recorder per writer thread, merged at the
 * end.
 */
public final class LatencyRecorder {
  private long[] samples;
  private int count;

  public LatencyRecorder(int expected) {
    this.samples = new long[Math.max(expected, 16)];
  }

  public void record(long nanos) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, samples.length * 2);
    }
    samples[count++] = nanos;
  }

  /** All samples of {@code recorders}, sorted ascending. */
  public static long[] merge(List<LatencyRecorder> recorders) {
    int total = 0;
    for (LatencyRecorder r : recorders) {
      total += r.count;
    }
    long[] all = new long[total];
    int at = 0;
    for (LatencyRecorder r : recorders) {
      System.arraycopy(r.samples, 0, all, at, r.count);
      at += r.count;
    }
    Arrays.sort(all);
    return all;
  }

  /**
   * The nearest-rank percentile of ascending {@code sorted}: the smallest sample with at least
   * {@code p} percent of the samples at or below it; 0 for no samples.
   */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    // The epsilon keeps 99.9% of 1000 at rank 999 despite 0.999 * 1000 = 999.0000000000001.
    int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
    return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
  }
}
