package io.kevo.chaos.check;

/**
 * Limits shared by the checkers. Immutable; {@link #DEFAULT} suits a run of up to a few hundred
 * thousand operations.
 *
 * @param maxAnomalies how many anomalies a result lists (it counts them all); at least 1
 * @param maxStepsPerKey how many search steps the linearizability checker may spend on one key
 *     before it reports that key as unknown; at least 1. A step tries one operation at one point of
 *     the search, so a key's cost is roughly its operations times the backtracking it needs.
 */
public record CheckOptions(int maxAnomalies, long maxStepsPerKey) {
  /** 20 anomalies listed, 2,000,000 search steps per key. */
  public static final CheckOptions DEFAULT = new CheckOptions(20, 2_000_000);

  public CheckOptions {
    if (maxAnomalies < 1) {
      throw new IllegalArgumentException("maxAnomalies must be at least 1: " + maxAnomalies);
    }
    if (maxStepsPerKey < 1) {
      throw new IllegalArgumentException("maxStepsPerKey must be at least 1: " + maxStepsPerKey);
    }
  }

  public CheckOptions withMaxAnomalies(int n) {
    return new CheckOptions(n, maxStepsPerKey);
  }

  public CheckOptions withMaxStepsPerKey(long n) {
    return new CheckOptions(maxAnomalies, n);
  }
}
