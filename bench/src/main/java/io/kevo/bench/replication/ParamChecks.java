package io.kevo.bench.replication;

/** Validation shared by the {@code replication} and {@code safety} benchmarks' parameters. */
final class ParamChecks {
  private ParamChecks() {}

  /** Throws {@link IllegalArgumentException} with {@code message} unless {@code ok}. */
  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The options both benchmarks take for their writers, runs and cluster. */
  static void checkLoad(
      int clients,
      int connections,
      double durationSeconds,
      double warmupSeconds,
      int repeat,
      int replicas,
      int keySize,
      int valueSize,
      double randomFraction) {
    check(clients >= 1 && clients <= 4096, "--clients must be in 1..4096, got " + clients);
    check(connections >= 1, "--connections must be at least 1, got " + connections);
    check(durationSeconds > 0, "--duration must be positive, got " + durationSeconds);
    check(warmupSeconds >= 0, "--warmup must not be negative, got " + warmupSeconds);
    check(repeat >= 1, "--repeat must be at least 1, got " + repeat);
    check(replicas >= 1 && replicas <= 8, "--replicas must be in 1..8, got " + replicas);
    check(keySize >= 8, "--key-size must be at least 8, got " + keySize);
    check(valueSize >= 1, "--value-size must be at least 1, got " + valueSize);
    check(
        randomFraction > 0 && randomFraction <= 1,
        "--random-fraction must be in (0, 1], got " + randomFraction);
  }
}
