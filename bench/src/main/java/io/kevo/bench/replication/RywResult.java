package io.kevo.bench.replication;

import io.kevo.bench.report.Figures;
import io.kevo.bench.report.LatencyHistogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One read-your-writes window: {@link RywProbe}s (one per replica) while background writers put at
 * {@code targetRate}. Immutable once built (the histograms are not modified afterwards).
 *
 * @param targetRate background puts/s asked; 0 = none
 * @param achievedRate background puts/s completed in the window
 * @param seconds the timed window
 * @param probes one per replica
 * @param replicaCounters differences over the window of the replicas' {@code read_waits} and {@code
 *     read_wait_timeouts}, summed over the replicas
 * @param cpuCores CPU per node over the window (cores); the bench as {@code bench}
 * @param loadAverage 1-minute load average when the window started
 */
record RywResult(
    double targetRate,
    double achievedRate,
    double seconds,
    List<RywProbe.Result> probes,
    Map<String, Long> replicaCounters,
    Map<String, Double> cpuCores,
    double loadAverage) {

  RywResult {
    probes = List.copyOf(probes);
    replicaCounters = Map.copyOf(replicaCounters);
    cpuCores = Map.copyOf(cpuCores);
  }

  LatencyHistogram ryw() {
    return pooled(RywProbe.Result::ryw);
  }

  LatencyHistogram plain() {
    return pooled(RywProbe.Result::plain);
  }

  LatencyHistogram put() {
    return pooled(RywProbe.Result::put);
  }

  /** Ryw Gets refused with {@code UNAVAILABLE} (the replica had not applied the put in time). */
  long unavailable() {
    return pooled(RywProbe.Result::unavailable).count();
  }

  long stale() {
    return probes.stream().mapToLong(RywProbe.Result::stale).sum();
  }

  long missed() {
    return probes.stream().mapToLong(RywProbe.Result::missed).sum();
  }

  private LatencyHistogram pooled(Function<RywProbe.Result, LatencyHistogram> which) {
    LatencyHistogram h = new LatencyHistogram();
    probes.forEach(p -> h.add(which.apply(p)));
    return h;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("background_rate_target", Figures.roundOrNull(targetRate, 1));
    m.put("background_rate_achieved", Figures.roundOrNull(achievedRate, 1));
    m.put("seconds", Figures.roundOrNull(seconds, 3));
    m.put("ryw_get", histogram(ryw()));
    m.put("ryw_unavailable", unavailable());
    m.put("ryw_stale", stale());
    m.put("plain_get", histogram(plain()));
    m.put("plain_missed", missed());
    m.put("put", histogram(put()));
    m.put("replica_counters", new LinkedHashMap<>(replicaCounters));
    Map<String, Object> per = new LinkedHashMap<>();
    for (RywProbe.Result p : probes) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("ryw_get", histogram(p.ryw()));
      r.put("ryw_unavailable", p.unavailable().count());
      r.put("ryw_stale", p.stale());
      r.put("plain_get", histogram(p.plain()));
      r.put("plain_missed", p.missed());
      per.put(p.replica(), r);
    }
    m.put("per_replica", per);
    m.put("cpu_cores", Figures.rounded(new TreeMap<>(cpuCores), 3));
    m.put("load_average_1m", loadAverage);
    return m;
  }

  /** Samples and percentiles in µs. */
  static Map<String, Object> histogram(LatencyHistogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", h.count());
    boolean any = h.count() > 0;
    m.put("p50_us", any ? Figures.roundOrNull(h.percentile(50) / 1e3, 1) : null);
    m.put("p99_us", any ? Figures.roundOrNull(h.percentile(99) / 1e3, 1) : null);
    m.put("p999_us", any ? Figures.roundOrNull(h.percentile(99.9) / 1e3, 1) : null);
    m.put("max_us", any ? Figures.roundOrNull(h.max() / 1e3, 1) : null);
    m.put("mean_us", any ? Figures.roundOrNull(h.mean() / 1e3, 1) : null);
    return m;
  }
}
