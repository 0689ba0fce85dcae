package io.kevo.bench.tx;

import static io.kevo.bench.report.Figures.round;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one engine's {@code tx} run measured, as a child JVM reports it on one line of JSON and as
 * the parent writes it into the report. Latencies in microseconds.
 *
 * @param engine engine id
 * @param threads threads running transactions
 * @param seconds wall time of the timed phase
 * @param attempts transactions begun in the timed phase
 * @param commits transactions committed
 * @param aborts transactions that lost a conflict
 * @param commitUs commit-call latency: mean, p50, p99, p99.9, max (every attempt)
 * @param txUs whole-transaction latency (begin to close): mean, p50, p99, p99.9, max
 * @param peakRssMb the child's peak resident set (VmHWM) in MiB, or -1 where unknown
 * @param openMs time to open the empty database
 * @param closeMs time to close it after the run
 * @param engineStats engine counters read just before close
 * @param engineOptions how the engine was configured
 * @param transactions how transactions were begun, read and validated
 * @param details load counters and the like
 */
record TxRunResult(
    String engine,
    int threads,
    double seconds,
    long attempts,
    long commits,
    long aborts,
    Latency commitUs,
    Latency txUs,
    double peakRssMb,
    double openMs,
    double closeMs,
    Map<String, Long> engineStats,
    String engineOptions,
    String transactions,
    Map<String, Long> details) {

  /** One latency summary, microseconds. */
  record Latency(double mean, double p50, double p99, double p999, double max) {}

  /** Committed transactions per second of the timed phase. */
  double txPerSec() {
    return seconds > 0 ? commits / seconds : 0;
  }

  /** Aborts over attempts, 0 for no attempts. */
  double conflictRate() {
    return attempts == 0 ? 0 : (double) aborts / attempts;
  }

  /** The JSON object; the field names are part of the tracked report format. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("engine", engine);
    m.put("threads", threads);
    m.put("seconds", round(seconds, 4));
    m.put("attempts", attempts);
    m.put("commits", commits);
    m.put("aborts", aborts);
    m.put("tx_per_sec", round(txPerSec(), 1));
    m.put("attempts_per_sec", round(seconds > 0 ? attempts / seconds : 0, 1));
    m.put("conflict_rate", round(conflictRate(), 8));
    putLatency(m, "commit", commitUs);
    putLatency(m, "tx", txUs);
    m.put("peak_rss_mb", round(peakRssMb, 1));
    m.put("open_ms", round(openMs, 2));
    m.put("close_ms", round(closeMs, 2));
    m.put("engine_stats", new LinkedHashMap<>(engineStats));
    m.put("engine_options", engineOptions);
    m.put("transactions", transactions);
    m.put("workload_details", new LinkedHashMap<>(details));
    return m;
  }

  private static void putLatency(Map<String, Object> m, String prefix, Latency l) {
    m.put(prefix + "_mean_us", round(l.mean(), 2));
    m.put(prefix + "_p50_us", round(l.p50(), 2));
    m.put(prefix + "_p99_us", round(l.p99(), 2));
    m.put(prefix + "_p999_us", round(l.p999(), 2));
    m.put(prefix + "_max_us", round(l.max(), 2));
  }
}
