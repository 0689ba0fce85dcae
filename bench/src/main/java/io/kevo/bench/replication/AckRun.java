package io.kevo.bench.replication;

import io.kevo.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run of the acks phase: {@code clients} writers putting fresh keys as fast as the node
 * answers, on a standalone node (the baseline) or on a primary with replicas at one acknowledgement
 * level. Immutable.
 *
 * @param side {@code standalone}, or the level sent in {@code kevo-ack} ({@code async}, {@code
 *     replica:1}, {@code all})
 * @param run the run number
 * @param ops puts completed in the timed window (confirmed or not)
 * @param confirmed puts that returned OK; the others returned {@code DEADLINE_EXCEEDED} (committed
 *     on the primary, level not met in time)
 * @param seconds the timed window
 * @param p50Us put latency median, µs, over every completed put
 * @param p99Us put latency p99, µs
 * @param p999Us put latency p99.9, µs
 * @param maxUs the slowest put, µs
 * @param cpuCores CPU per node over the window (cores), by node name; the load generator as {@code
 *     bench}
 * @param jitShare per node, the share of its CPU over the window its JIT compiler threads used
 * @param stealShare the share of the machine's CPU time the hypervisor took over the window; null
 *     where unknown
 * @param endLagEntries per replica: the primary's last sequence minus the replica's applied one as
 *     the writers stopped (empty for a standalone node)
 * @param convergeMs from the writers' stop until every replica had everything; null standalone
 * @param ackCounters differences over the run of the primary's {@code ack_waits}, {@code
 *     ack_confirmed}, {@code ack_not_confirmed} (empty standalone)
 * @param loadAverage the machine's 1-minute load average when the run started
 */
record AckRun(
    String side,
    int run,
    long ops,
    long confirmed,
    double seconds,
    double p50Us,
    double p99Us,
    double p999Us,
    double maxUs,
    Map<String, Double> cpuCores,
    Map<String, Double> jitShare,
    Double stealShare,
    List<Long> endLagEntries,
    Double convergeMs,
    Map<String, Long> ackCounters,
    double loadAverage) {

  static final String STANDALONE = "standalone";

  AckRun {
    cpuCores = Map.copyOf(cpuCores);
    jitShare = Map.copyOf(jitShare);
    endLagEntries = List.copyOf(endLagEntries);
    ackCounters = Map.copyOf(ackCounters);
  }

  double opsPerSec() {
    return ops / seconds;
  }

  long unconfirmed() {
    return ops - confirmed;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", side);
    m.put("run", run);
    m.put("ops", ops);
    m.put("confirmed", confirmed);
    m.put("unconfirmed", unconfirmed());
    m.put("seconds", Figures.roundOrNull(seconds, 3));
    m.put("ops_per_sec", Figures.roundOrNull(opsPerSec(), 1));
    m.put("p50_us", Figures.roundOrNull(p50Us, 1));
    m.put("p99_us", Figures.roundOrNull(p99Us, 1));
    m.put("p999_us", Figures.roundOrNull(p999Us, 1));
    m.put("max_us", Figures.roundOrNull(maxUs, 1));
    m.put("cpu_cores", Figures.rounded(new TreeMap<>(cpuCores), 3));
    m.put(
        "cpu_us_per_put",
        Figures.rounded(new TreeMap<>(Figures.microsPerOp(cpuCores, seconds, ops)), 2));
    m.put("jit_cpu_share", Figures.rounded(new TreeMap<>(jitShare), 3));
    m.put("machine_steal_share", Figures.roundOrNull(stealShare, 3));
    m.put("end_lag_entries", endLagEntries);
    m.put("converge_ms", Figures.roundOrNull(convergeMs, 1));
    m.put("ack_counters", new LinkedHashMap<>(ackCounters));
    m.put("load_average_1m", loadAverage);
    return m;
  }
}
