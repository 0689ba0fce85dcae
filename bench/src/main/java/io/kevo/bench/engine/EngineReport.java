package io.kevo.bench.engine;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.MachineInfo;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The results of one {@code engine} run: the console table and the JSON document. The JSON field
 * names ({@code ops_per_sec}, {@code p50_us}, {@code p99_us}, {@code p999_us}, {@code peak_rss_mb},
 * per workload and engine) are tracked over time; extend, do not rename.
 */
final class EngineReport {
  /** Kevo must reach at least this fraction of RocksDB's ops/s on every workload. */
  static final double BAR = 1.0;

  private final List<Workload> workloads;
  private final List<EngineKind> engines;
  private final WorkloadParams params;
  private final Map<String, Object> runConfig;
  private final List<Outcome> outcomes;

  EngineReport(
      List<Workload> workloads,
      List<EngineKind> engines,
      WorkloadParams params,
      Map<String, Object> runConfig,
      List<Outcome> outcomes) {
    this.workloads = workloads;
    this.engines = engines;
    this.params = params;
    this.runConfig = runConfig;
    this.outcomes = outcomes;
  }

  private Outcome find(String workload, EngineKind engine) {
    for (Outcome o : outcomes) {
      if (o.workload().equals(workload) && o.engine().equals(engine.id())) {
        return o;
      }
    }
    return null;
  }

  /** Kevo's ops/s over RocksDB's for {@code workload}, if both ran. */
  OptionalDouble ratio(String workload) {
    Outcome kevo = find(workload, EngineKind.KEVO);
    Outcome rocks = find(workload, EngineKind.ROCKSDB);
    if (kevo == null || rocks == null || !kevo.succeeded() || !rocks.succeeded()) {
      return OptionalDouble.empty();
    }
    double denominator = rocks.result().phase().opsPerSec();
    return denominator > 0
        ? OptionalDouble.of(kevo.result().phase().opsPerSec() / denominator)
        : OptionalDouble.empty();
  }

  /** The console table, Markdown-compatible, followed by the bar verdict per workload. */
  String table() {
    StringBuilder out = new StringBuilder();
    String header =
        String.format(
            Locale.ROOT,
            "| %-8s | %-7s | %9s | %7s | %5s | %12s | %9s | %9s | %9s | %9s | %12s | %12s |%n",
            "workload",
            "engine",
            "ops",
            "threads",
            "batch",
            "ops/s",
            "mean µs",
            "p50 µs",
            "p99 µs",
            "p99.9 µs",
            "peak RSS MiB",
            "kevo/rocksdb");
    out.append(header);
    out.append(
        String.format(
            Locale.ROOT,
            "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%n",
            "-".repeat(10),
            "-".repeat(9),
            "-".repeat(10) + ":",
            "-".repeat(8) + ":",
            "-".repeat(6) + ":",
            "-".repeat(13) + ":",
            "-".repeat(10) + ":",
            "-".repeat(10) + ":",
            "-".repeat(10) + ":",
            "-".repeat(10) + ":",
            "-".repeat(13) + ":",
            "-".repeat(13) + ":"));
    for (Workload w : workloads) {
      for (EngineKind e : engines) {
        Outcome o = find(w.id(), e);
        if (o == null) {
          continue;
        }
        String ratio = "";
        if (e == EngineKind.KEVO) {
          OptionalDouble r = ratio(w.id());
          ratio = r.isPresent() ? String.format(Locale.ROOT, "%.2f×", r.getAsDouble()) : "n/a";
        }
        if (!o.succeeded()) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %-8s | %-7s | FAILED: %s |%n",
                  w.id(),
                  e.id(),
                  o.error().replace('|', '/')));
          continue;
        }
        RunResult r = o.result();
        out.append(
            String.format(
                Locale.ROOT,
                "| %-8s | %-7s | %9d | %7d | %5d | %12.0f | %9.1f | %9.1f | %9.1f | %9.1f | %12.1f | %12s |%n",
                w.id(),
                e.id(),
                r.phase().ops(),
                r.phase().threads(),
                r.phase().batchSize(),
                r.phase().opsPerSec(),
                r.phase().meanUs(),
                r.phase().p50Us(),
                r.phase().p99Us(),
                r.phase().p999Us(),
                r.peakRssMb(),
                ratio));
      }
    }
    out.append(System.lineSeparator());
    for (Workload w : workloads) {
      OptionalDouble r = ratio(w.id());
      out.append(
          String.format(
              Locale.ROOT,
              "%s: %s%n   bar kevo >= %.2f× rocksdb ops/s: %s%n",
              w.id(),
              w.description(),
              BAR,
              r.isEmpty()
                  ? "n/a (needs both engines)"
                  : String.format(
                      Locale.ROOT,
                      "%s (%.2f×)",
                      r.getAsDouble() >= BAR ? "met" : "NOT met",
                      r.getAsDouble())));
    }
    out.append(
            "Timing covers the write loop only (key generation included, open/close excluded);"
                + " latency is per engine call (per batch in b); peak RSS is the child JVM's VmHWM;"
                + " with --repeat, each row is the run with the median ops/s.")
        .append(System.lineSeparator());
    return out.toString();
  }

  /** The JSON document written by {@code --json}. */
  Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "engine");
    root.put("date", Instant.now().toString());
    root.put("num", params.num());
    root.put("machine", MachineInfo.describe());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("num", params.num());
    config.put("sync_num", params.syncNum());
    config.put("threads", params.threads());
    config.put("batch_size", params.batchSize());
    config.put("key_size", params.keySize());
    config.put("value_size", params.valueSize());
    config.put("seed", params.seed());
    config.put("warmup_max", params.warmup());
    config.putAll(runConfig);
    config.put(
        "timing",
        "write loop only (key generation included; open/close excluded); latency per engine call");
    root.put("config", config);
    Map<String, Object> perWorkload = new LinkedHashMap<>();
    for (Workload w : workloads) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("description", w.description());
      for (EngineKind e : engines) {
        Outcome o = find(w.id(), e);
        if (o == null) {
          continue;
        }
        if (o.succeeded()) {
          Map<String, Object> result = o.result().toJson();
          result.put("ops_per_sec_runs", o.opsPerSecRuns());
          entry.put(e.id(), result);
        } else {
          entry.put(e.id(), Map.of("error", o.error()));
        }
      }
      OptionalDouble r = ratio(w.id());
      entry.put("kevo_over_rocksdb_ops", r.isPresent() ? round3(r.getAsDouble()) : null);
      entry.put("bar_met", r.isPresent() ? r.getAsDouble() >= BAR : null);
      perWorkload.put(w.id(), entry);
    }
    root.put("workloads", perWorkload);
    return root;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
