package io.kevo.bench.report;

import io.kevo.bench.adapter.WriteCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one (workload, engine) pair, as a child JVM reports it on one line of JSON and as
 * the parent writes it into the report.
 *
 * @param workload workload id
 * @param engine engine id
 * @param phase the timed phase
 * @param peakRssMb the process's peak resident set (VmHWM) in MiB, or -1 where unknown
 * @param openMs time to open the empty database
 * @param closeMs time to close it after the run (not part of the timed phase)
 * @param engineStats engine counters read just before close
 * @param engineOptions how the engine was configured
 * @param unit what one counted operation is ({@code ops}, or {@code keys} for a scan)
 * @param writeAmp write-amplification counters of the workload's writes, or {@code null}
 * @param details workload counters (keys loaded, load time, keys found…)
 */
public record RunResult(
    String workload,
    String engine,
    PhaseResult phase,
    double peakRssMb,
    double openMs,
    double closeMs,
    Map<String, Long> engineStats,
    String engineOptions,
    String unit,
    WriteCounters writeAmp,
    Map<String, Long> details) {

  /** The JSON object for this result; the field names are part of the tracked report format. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", workload);
    m.put("engine", engine);
    m.put("ops", phase.ops());
    m.put("threads", phase.threads());
    m.put("batch_size", phase.batchSize());
    m.put("sync", phase.sync());
    m.put("seconds", round(phase.seconds(), 4));
    m.put("ops_per_sec", round(phase.opsPerSec(), 1));
    m.put("latency_samples", phase.samples());
    m.put("mean_us", round(phase.meanUs(), 2));
    m.put("p50_us", round(phase.p50Us(), 2));
    m.put("p99_us", round(phase.p99Us(), 2));
    m.put("p999_us", round(phase.p999Us(), 2));
    m.put("max_us", round(phase.maxUs(), 2));
    m.put("peak_rss_mb", round(peakRssMb, 1));
    m.put("open_ms", round(openMs, 2));
    m.put("close_ms", round(closeMs, 2));
    m.put("engine_stats", new LinkedHashMap<>(engineStats));
    m.put("engine_options", engineOptions);
    m.put("unit", unit);
    m.put("write_amplification", writeAmp == null ? null : round(writeAmp.amplification(), 4));
    m.put("write_amp_device_bytes", writeAmp == null ? null : writeAmp.deviceBytes());
    m.put("write_amp_user_bytes", writeAmp == null ? null : writeAmp.userBytes());
    m.put("workload_details", new LinkedHashMap<>(details));
    return m;
  }

  /** Reads back what {@link #toJson()} wrote (after a round trip through {@link Json}). */
  public static RunResult fromJson(Map<String, Object> m) {
    PhaseResult phase =
        new PhaseResult(
            num(m, "ops").longValue(),
            num(m, "threads").intValue(),
            num(m, "batch_size").intValue(),
            Boolean.TRUE.equals(m.get("sync")),
            num(m, "seconds").doubleValue(),
            num(m, "ops_per_sec").doubleValue(),
            num(m, "latency_samples").longValue(),
            num(m, "mean_us").doubleValue(),
            num(m, "p50_us").doubleValue(),
            num(m, "p99_us").doubleValue(),
            num(m, "p999_us").doubleValue(),
            num(m, "max_us").doubleValue());
    WriteCounters writeAmp =
        m.get("write_amp_device_bytes") instanceof Number
            ? new WriteCounters(
                num(m, "write_amp_device_bytes").longValue(),
                num(m, "write_amp_user_bytes").longValue())
            : null;
    return new RunResult(
        (String) m.get("workload"),
        (String) m.get("engine"),
        phase,
        num(m, "peak_rss_mb").doubleValue(),
        num(m, "open_ms").doubleValue(),
        num(m, "close_ms").doubleValue(),
        longs(m.get("engine_stats")),
        String.valueOf(m.get("engine_options")),
        m.get("unit") == null ? "ops" : String.valueOf(m.get("unit")),
        writeAmp,
        longs(m.get("workload_details")));
  }

  private static Map<String, Long> longs(Object raw) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (raw instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), ((Number) v).longValue()));
    }
    return out;
  }

  private static Number num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("result field '" + key + "' missing or not a number");
    }
    return n;
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
