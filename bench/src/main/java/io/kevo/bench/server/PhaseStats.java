package io.kevo.bench.server;

import static io.kevo.bench.report.Figures.roundOrNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One (workload, clients) phase on one side (server or embedded engine): what completed in the
 * timed window and the CPU it cost. Immutable.
 *
 * @param workload the workload id
 * @param clients requests outstanding at once
 * @param opsPerCall operations per call (the batch size for batch, else 1)
 * @param calls calls completed in the window
 * @param found gets that found their key (0 for writes)
 * @param seconds length of the window
 * @param latencyUs per-call latency percentiles and mean/max, µs
 * @param cpuSeconds CPU used in the window by the process serving the calls (the server process, or
 *     the JVM running the embedded engine and its client threads); null if unknown
 * @param driverCpuSeconds CPU used in the window by the load generator's JVM (server side only;
 *     null for the embedded engine, whose clients are in {@code cpuSeconds})
 * @param settleMs the untimed flush and compaction before the phase, ms (0 if none)
 */
record PhaseStats(
    String workload,
    int clients,
    int opsPerCall,
    long calls,
    long found,
    double seconds,
    Latency latencyUs,
    Double cpuSeconds,
    Double cpuSystemSeconds,
    Double driverCpuSeconds,
    double settleMs) {

  /** Per-call latency in µs. */
  record Latency(double p50, double p99, double p999, double mean, double max) {}

  long ops() {
    return calls * opsPerCall;
  }

  double callsPerSec() {
    return calls / seconds;
  }

  double opsPerSec() {
    return ops() / seconds;
  }

  /** CPU seconds per wall second (cores kept busy); null if unknown. */
  Double cpuCores() {
    return cpuSeconds == null ? null : cpuSeconds / seconds;
  }

  /** CPU µs per operation; null if unknown. */
  Double cpuUsPerOp() {
    return cpuSeconds == null || ops() == 0 ? null : cpuSeconds * 1e6 / ops();
  }

  Double driverCpuCores() {
    return driverCpuSeconds == null ? null : driverCpuSeconds / seconds;
  }

  Double driverCpuUsPerOp() {
    return driverCpuSeconds == null || ops() == 0 ? null : driverCpuSeconds * 1e6 / ops();
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", workload);
    m.put("clients", clients);
    m.put("ops_per_call", opsPerCall);
    m.put("calls", calls);
    m.put("ops", ops());
    m.put("found", found);
    m.put("seconds", roundOrNull(seconds, 3));
    m.put("calls_per_sec", roundOrNull(callsPerSec(), 1));
    m.put("ops_per_sec", roundOrNull(opsPerSec(), 1));
    m.put("p50_us", roundOrNull(latencyUs.p50(), 1));
    m.put("p99_us", roundOrNull(latencyUs.p99(), 1));
    m.put("p999_us", roundOrNull(latencyUs.p999(), 1));
    m.put("mean_us", roundOrNull(latencyUs.mean(), 1));
    m.put("max_us", roundOrNull(latencyUs.max(), 1));
    m.put("cpu_s", roundOrNull(cpuSeconds, 3));
    m.put("cpu_cores", roundOrNull(cpuCores(), 3));
    m.put("cpu_us_per_op", roundOrNull(cpuUsPerOp(), 2));
    m.put("cpu_system_s", roundOrNull(cpuSystemSeconds, 3));
    m.put("driver_cpu_s", roundOrNull(driverCpuSeconds, 3));
    m.put("driver_cpu_cores", roundOrNull(driverCpuCores(), 3));
    m.put("driver_cpu_us_per_op", roundOrNull(driverCpuUsPerOp(), 2));
    m.put("settle_ms", roundOrNull(settleMs, 1));
    return m;
  }
}
