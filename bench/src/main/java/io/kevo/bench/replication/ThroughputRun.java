package io.kevo.bench.replication;

import io.kevo.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One throughput run: {@code clients} writers putting fresh keys as fast as the node answers, on a
 * standalone node or a primary with replicas. Immutable.
 *
 * @param side {@code standalone} or {@code replicated}
 * @param codec the replicas' codec id; null for a standalone node
 * @param run the run number
 * @param ops puts completed in the timed window
 * @param seconds the timed window
 * @param p50Us put latency median, µs
 * @param p99Us put latency p99, µs
 * @param cpuCores CPU per node over the window (cores: CPU seconds per second), by node name; the
 *     load generator as {@code bench}
 * @param jitShare per node, the share of its CPU over the window that its JIT compiler threads used
 *     (a figure with a large share measures a JVM still warming up)
 * @param stealShare the share of the machine's CPU time the hypervisor took over the window; null
 *     where unknown
 * @param endLagEntries per replica: the primary's last sequence minus the replica's applied one,
 *     read right as the writers stopped (replicas first, so this errs high)
 * @param convergeMs from the writers' stop until every replica had applied the primary's last
 *     sequence; null for a standalone node
 * @param wire what the primary sent over the run, warm-up and convergence included; null for a
 *     standalone node
 * @param loadAverage the machine's 1-minute load average when the run started
 */
record ThroughputRun(
    String side,
    String codec,
    int run,
    long ops,
    double seconds,
    double p50Us,
    double p99Us,
    Map<String, Double> cpuCores,
    Map<String, Double> jitShare,
    Double stealShare,
    List<Long> endLagEntries,
    Double convergeMs,
    Cluster.Wire wire,
    double loadAverage) {

  double opsPerSec() {
    return ops / seconds;
  }

  /** CPU per put of each node over the window, µs: its CPU time over the window ÷ puts. */
  Map<String, Double> cpuMicrosPerPut() {
    return Figures.microsPerOp(cpuCores, seconds, ops);
  }

  /** CPU per put of {@code node}, µs; null if it was not measured. */
  Double cpuMicrosPerPut(String node) {
    return cpuMicrosPerPut().get(node);
  }

  /**
   * The most CPU per put of the replicas (each applies every put), µs; null if none was measured.
   */
  Double replicaCpuMicrosPerEntry() {
    Double most = null;
    for (Map.Entry<String, Double> e : cpuMicrosPerPut().entrySet()) {
      if (e.getKey().startsWith(Cluster.REPLICA_PREFIX) && e.getValue() != null) {
        most = most == null ? e.getValue() : Math.max(most, e.getValue());
      }
    }
    return most;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", side);
    m.put("codec", codec);
    m.put("run", run);
    m.put("ops", ops);
    m.put("seconds", Figures.roundOrNull(seconds, 3));
    m.put("ops_per_sec", Figures.roundOrNull(opsPerSec(), 1));
    m.put("p50_us", Figures.roundOrNull(p50Us, 1));
    m.put("p99_us", Figures.roundOrNull(p99Us, 1));
    m.put("cpu_cores", Figures.rounded(cpuCores, 3));
    m.put("cpu_us_per_put", Figures.rounded(cpuMicrosPerPut(), 2));
    m.put("jit_cpu_share", Figures.rounded(jitShare, 3));
    m.put("machine_steal_share", Figures.roundOrNull(stealShare, 3));
    m.put("end_lag_entries", endLagEntries);
    m.put("converge_ms", Figures.roundOrNull(convergeMs, 1));
    if (wire != null) {
      m.put("wire", Report.wireJson(wire));
    }
    m.put("load_average_1m", loadAverage);
    return m;
  }
}
