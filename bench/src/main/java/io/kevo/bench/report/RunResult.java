package io.kevo.bench.report;

import static io.kevo.bench.report.Figures.round;

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
}
