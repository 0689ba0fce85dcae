package io.kevo.bench.replication;

import io.kevo.bench.report.Figures;
import io.kevo.bench.report.LatencyHistogram;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lag phase: paced writers at {@code targetRate} and one {@link VisibilityProbe} per replica.
 * Immutable once built.
 *
 * @param targetRate the writers' total rate asked for, puts/s
 * @param maxRate the replicated throughput it is half of (0 when {@code --lag-rate} was given)
 * @param achievedRate puts/s the writers completed in the window
 * @param writerP50Us writers' put latency median, µs
 * @param writerP99Us writers' put latency p99, µs
 * @param intervalMs one sample per replica this often
 * @param probes per replica
 * @param cpuCores CPU per node over the window, by node name
 * @param jitShare per node, the share of its CPU over the window its JIT compiler threads used
 * @param stealShare the share of the machine's CPU time the hypervisor took over the window; null
 *     where unknown
 * @param wire what the primary sent over the phase
 * @param loadAverage 1-minute load average at the start
 */
record VisibilityResult(
    double targetRate,
    double maxRate,
    double achievedRate,
    double seconds,
    double writerP50Us,
    double writerP99Us,
    double intervalMs,
    List<VisibilityProbe.Result> probes,
    Map<String, Double> cpuCores,
    Map<String, Double> jitShare,
    Double stealShare,
    Cluster.Wire wire,
    double loadAverage) {

  /** Every replica's lag-after-ack samples together, ns. */
  LatencyHistogram pooledAfterAck() {
    LatencyHistogram h = new LatencyHistogram();
    probes.forEach(p -> h.add(p.afterAck()));
    return h;
  }

  LatencyHistogram pooledAfterSend() {
    LatencyHistogram h = new LatencyHistogram();
    probes.forEach(p -> h.add(p.afterSend()));
    return h;
  }

  long timeouts() {
    return probes.stream().mapToLong(VisibilityProbe.Result::timeouts).sum();
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target_puts_per_sec", Figures.roundOrNull(targetRate, 1));
    m.put("max_puts_per_sec", Figures.roundOrNull(maxRate, 1));
    m.put("achieved_puts_per_sec", Figures.roundOrNull(achievedRate, 1));
    m.put("seconds", Figures.roundOrNull(seconds, 3));
    m.put("writer_p50_us", Figures.roundOrNull(writerP50Us, 1));
    m.put("writer_p99_us", Figures.roundOrNull(writerP99Us, 1));
    m.put("probe_interval_ms", intervalMs);
    m.put("after_ack", histogramMs(pooledAfterAck()));
    m.put("after_send", histogramMs(pooledAfterSend()));
    m.put("timeouts", timeouts());
    List<Object> per = new ArrayList<>();
    for (VisibilityProbe.Result p : probes) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("replica", p.replica());
      r.put("after_ack", histogramMs(p.afterAck()));
      r.put("after_send", histogramMs(p.afterSend()));
      r.put("get_round_trip", histogramMs(p.getRoundTrip()));
      r.put("polls", p.polls());
      r.put(
          "polls_per_sample",
          p.samples() == 0 ? null : Figures.roundOrNull(1.0 * p.polls() / p.samples(), 2));
      r.put("timeouts", p.timeouts());
      List<Object> slow = new ArrayList<>();
      for (VisibilityProbe.Slow x : p.slow()) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("at", Instant.ofEpochMilli(x.atMillis()).toString());
        one.put("offset_s", Figures.roundOrNull(x.offsetMillis() / 1e3, 3));
        one.put("lag_ms", Figures.roundOrNull(x.lagNanos() / 1e6, 3));
        slow.add(one);
      }
      r.put("samples_over_10_ms", slow);
      per.add(r);
    }
    m.put("replicas", per);
    m.put("cpu_cores", Figures.rounded(cpuCores, 3));
    m.put("jit_cpu_share", Figures.rounded(jitShare, 3));
    m.put("machine_steal_share", Figures.roundOrNull(stealShare, 3));
    m.put("wire", Report.wireJson(wire));
    m.put("load_average_1m", loadAverage);
    return m;
  }

  static Map<String, Object> histogramMs(LatencyHistogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", h.count());
    m.put("p50_ms", Figures.roundOrNull(h.percentile(50) / 1e6, 3));
    m.put("p99_ms", Figures.roundOrNull(h.percentile(99) / 1e6, 3));
    m.put("p999_ms", Figures.roundOrNull(h.percentile(99.9) / 1e6, 3));
    m.put("mean_ms", Figures.roundOrNull(h.mean() / 1e6, 3));
    m.put("max_ms", Figures.roundOrNull(h.max() / 1e6, 3));
    return m;
  }
}
