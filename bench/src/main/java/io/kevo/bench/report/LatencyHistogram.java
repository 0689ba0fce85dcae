package io.kevo.bench.report;

/**
 * Latencies in nanoseconds, bucketed log-linearly: exact below 128 ns, then 128 buckets per power
 * of two, so a reported percentile is within 1/128 (0.8%) of the true sample. Fixed size (58 KiB)
 * however long the run, so that a long timed run does not grow the heap (and the peak RSS being
 * compared) with its own samples, as keeping every sample would. Exact count, sum and max. Not
 * thread-safe: one per thread, merged at the end.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 7;
  private static final int SUB = 1 << SUB_BITS;
  // Values below SUB are their own bucket; each exponent 7..62 adds SUB buckets.
  private static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long sum;
  private long max;

  public void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    count++;
    sum += v;
    max = Math.max(max, v);
  }

  /** Adds every sample of {@code other} to this one. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    max = Math.max(max, other.max);
  }

  public long count() {
    return count;
  }

  /** Mean in nanoseconds, 0 for no samples. */
  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  public long max() {
    return max;
  }

  /**
   * The nearest-rank percentile (as {@link LatencyRecorder#percentile}), reported as the middle of
   * its bucket and never above the maximum; 0 for no samples.
   */
  public long percentile(double p) {
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count - 1e-9));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, middle(i));
      }
    }
    return max;
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v);
    int shift = exp - SUB_BITS;
    int sub = (int) (v >>> shift) - SUB;
    return SUB + shift * SUB + sub;
  }

  static long middle(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = (index - SUB) / SUB;
    long sub = SUB + (index - SUB) % SUB;
    long low = sub << shift;
    return low + ((1L << shift) - 1) / 2;
  }
}
