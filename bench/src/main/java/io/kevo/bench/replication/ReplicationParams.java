package io.kevo.bench.replication;

import static io.kevo.bench.replication.ParamChecks.check;
import static io.kevo.bench.replication.ParamChecks.checkLoad;

import io.kevo.proto.replication.CompressionCodec;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the {@code replication} benchmark runs. Immutable; validated on construction.
 *
 * @param phases which of {@code throughput}, {@code cost}, {@code lag}, {@code catchup} run
 * @param clients writers (puts outstanding at once) in the throughput and lag phases
 * @param connections HTTP/2 connections the writers are spread over
 * @param durationSeconds timed window of each throughput run
 * @param warmupSeconds untimed lead-in of each throughput run
 * @param repeat throughput runs per side (standalone, replicated with the first codec), alternating
 * @param codecs codecs the replicas ask for; the first is used for the ratio, lag and catch-up, and
 *     each gets a throughput run that also counts the bytes sent
 * @param replicas replicas per primary
 * @param keySize key bytes
 * @param valueSize value bytes
 * @param randomFraction the random part of each value (the rest repeats it; see {@link
 *     CompressibleValues})
 * @param costRate total paced write rate of the cost phase, puts/s, the same for the standalone
 *     node and the primary; 0 means 60% of the median replicated throughput measured before
 * @param lagDurationSeconds timed window of the lag phase
 * @param lagWarmupSeconds untimed lead-in of the lag phase, at its paced rate
 * @param lagRate total paced write rate of the lag phase, puts/s; 0 means half the median
 *     replicated throughput measured before
 * @param probeIntervalMs one visibility sample per replica every this many milliseconds
 * @param catchupEntries entries written while a replica is down
 * @param catchupBatch entries per write while loading them (1: single puts, each its own WAL
 *     record)
 * @param seed seed of keys and values
 */
record ReplicationParams(
    Set<String> phases,
    int clients,
    int connections,
    double durationSeconds,
    double warmupSeconds,
    int repeat,
    List<CompressionCodec> codecs,
    int replicas,
    int keySize,
    int valueSize,
    double randomFraction,
    double costRate,
    double lagDurationSeconds,
    double lagWarmupSeconds,
    double lagRate,
    double probeIntervalMs,
    long catchupEntries,
    int catchupBatch,
    long seed) {

  static final List<String> PHASES = List.of("throughput", "cost", "lag", "catchup");

  /** The cost phase's rate when not given: this share of the median replicated throughput. */
  static final double COST_SHARE_OF_MAX = 0.6;

  ReplicationParams {
    phases = Set.copyOf(phases);
    codecs = List.copyOf(codecs);
    for (String p : phases) {
      check(
          PHASES.contains(p),
          "unknown phase '" + p + "' (expected throughput, cost, lag, catchup)");
    }
    check(!phases.isEmpty(), "at least one phase is needed");
    check(
        !codecs.isEmpty() && codecs.stream().distinct().count() == codecs.size(),
        "--codecs must list distinct codecs: " + codecs);
    check(!codecs.contains(CompressionCodec.UNRECOGNIZED), "--codecs takes none, snappy, zstd");
    checkLoad(
        clients,
        connections,
        durationSeconds,
        warmupSeconds,
        repeat,
        replicas,
        keySize,
        valueSize,
        randomFraction);
    check(costRate >= 0, "--cost-rate must not be negative, got " + costRate);
    check(
        costRate > 0 || !phases.contains("cost") || phases.contains("throughput"),
        "the cost phase without the throughput phase needs --cost-rate");
    check(lagDurationSeconds > 0, "--lag-duration must be positive, got " + lagDurationSeconds);
    check(lagWarmupSeconds >= 0, "--lag-warmup must not be negative, got " + lagWarmupSeconds);
    check(lagRate >= 0, "--lag-rate must not be negative, got " + lagRate);
    check(
        lagRate > 0 || !phases.contains("lag") || phases.contains("throughput"),
        "the lag phase without the throughput phase needs --lag-rate");
    check(probeIntervalMs > 0, "--probe-interval-ms must be positive, got " + probeIntervalMs);
    check(catchupEntries >= 1, "--catchup-entries must be positive, got " + catchupEntries);
    check(
        catchupBatch >= 1 && catchupBatch <= 10_000,
        "--catchup-batch must be in 1..10000, got " + catchupBatch);
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }

  /** The codec of the headline figures. */
  CompressionCodec mainCodec() {
    return codecs.get(0);
  }

  static String id(CompressionCodec c) {
    return c.name().toLowerCase(Locale.ROOT);
  }
}
