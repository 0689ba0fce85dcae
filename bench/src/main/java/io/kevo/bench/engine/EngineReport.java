package io.kevo.bench.engine;

import static io.kevo.bench.report.Figures.fixed;
import static io.kevo.bench.report.Figures.times;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.MachineInfo;
import io.kevo.bench.report.Outcome;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.report.Table;
import io.kevo.bench.workload.Bar;
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
 * {@code write_amplification} per workload and engine; {@code kevo_over_rocksdb_ops}, {@code
 * bar_met} per workload) are tracked over time; extend, do not rename.
 */
final class EngineReport {
  private final List<Workload> workloads;
  private final List<EngineKind> engines;
  private final WorkloadParams params;
  private final Map<String, Object> runConfig;
  private final List<Outcome<RunResult>> outcomes;

  EngineReport(
      List<Workload> workloads,
      List<EngineKind> engines,
      WorkloadParams params,
      Map<String, Object> runConfig,
      List<Outcome<RunResult>> outcomes) {
    this.workloads = workloads;
    this.engines = engines;
    this.params = params;
    this.runConfig = runConfig;
    this.outcomes = outcomes;
  }

  private RunResult result(String workload, EngineKind engine) {
    for (Outcome<RunResult> o : outcomes) {
      if (o.workload().equals(workload) && o.engine().equals(engine.id()) && o.succeeded()) {
        return o.result();
      }
    }
    return null;
  }

  private Outcome<RunResult> find(String workload, EngineKind engine) {
    for (Outcome<RunResult> o : outcomes) {
      if (o.workload().equals(workload) && o.engine().equals(engine.id())) {
        return o;
      }
    }
    return null;
  }

  /** Kevo's ops/s over RocksDB's for {@code workload}, if both ran. */
  OptionalDouble ratio(String workload) {
    RunResult kevo = result(workload, EngineKind.KEVO);
    RunResult rocks = result(workload, EngineKind.ROCKSDB);
    if (kevo == null || rocks == null || rocks.phase().opsPerSec() <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(kevo.phase().opsPerSec() / rocks.phase().opsPerSec());
  }

  /** Kevo's write amplification over RocksDB's for {@code workload}, if both measured one. */
  OptionalDouble writeAmpRatio(String workload) {
    RunResult kevo = result(workload, EngineKind.KEVO);
    RunResult rocks = result(workload, EngineKind.ROCKSDB);
    if (kevo == null
        || rocks == null
        || kevo.writeAmp() == null
        || rocks.writeAmp() == null
        || rocks.writeAmp().amplification() <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(kevo.writeAmp().amplification() / rocks.writeAmp().amplification());
  }

  /** Whether each part of the workload's bar is met: null where there is no target or no data. */
  private Boolean opsBarMet(Workload w) {
    Double min = w.bar().minOpsRatio();
    OptionalDouble r = ratio(w.id());
    return min == null || r.isEmpty() ? null : r.getAsDouble() >= min;
  }

  private Boolean writeAmpBarMet(Workload w) {
    Double max = w.bar().maxWriteAmpRatio();
    OptionalDouble r = writeAmpRatio(w.id());
    return max == null || r.isEmpty() ? null : r.getAsDouble() <= max;
  }

  /** All targets of the workload met; null when it has none or a needed number is missing. */
  private Boolean barMet(Workload w) {
    if (!w.bar().any()) {
      return null;
    }
    Boolean ops = opsBarMet(w);
    Boolean wa = writeAmpBarMet(w);
    if ((w.bar().minOpsRatio() != null && ops == null)
        || (w.bar().maxWriteAmpRatio() != null && wa == null)) {
      return null;
    }
    return (ops == null || ops) && (wa == null || wa);
  }

  /** The console table, Markdown-compatible, followed by the bar verdict per workload. */
  String table() {
    StringBuilder out = new StringBuilder();
    Table t =
        new Table(
            "13<workload",
            "7<engine",
            "9>ops",
            "7>threads",
            "5>batch",
            "12>ops/s",
            "9>mean µs",
            "9>p50 µs",
            "9>p99 µs",
            "9>p99.9 µs",
            "8>RSS MiB",
            "9>write amp",
            "8>k/r ops",
            "8>k/r WA");
    for (Workload w : workloads) {
      for (EngineKind e : engines) {
        Outcome<RunResult> o = find(w.id(), e);
        if (o == null) {
          continue;
        }
        if (!o.succeeded()) {
          t.free("FAILED: " + o.error(), w.id(), e.id());
          continue;
        }
        String ratio = "";
        String waRatio = "";
        if (e == EngineKind.KEVO) {
          ratio = times(ratio(w.id()));
          waRatio = times(writeAmpRatio(w.id()));
        }
        RunResult r = o.result();
        t.row(
            w.id(),
            e.id(),
            r.phase().ops(),
            r.phase().threads(),
            r.phase().batchSize(),
            String.format(Locale.ROOT, "%.0f", r.phase().opsPerSec())
                + ("keys".equals(r.unit()) ? " k" : ""),
            fixed(r.phase().meanUs()),
            fixed(r.phase().p50Us()),
            fixed(r.phase().p99Us()),
            fixed(r.phase().p999Us()),
            fixed(r.peakRssMb()),
            r.writeAmp() == null
                ? "-"
                : String.format(Locale.ROOT, "%.3f", r.writeAmp().amplification()),
            ratio,
            waRatio);
      }
    }
    out.append(t).append(System.lineSeparator());
    for (Workload w : workloads) {
      Boolean met = barMet(w);
      out.append(
          String.format(
              Locale.ROOT,
              "%s: %s%n   kevo/rocksdb ops/s %s, write amp %s; bar: %s%s%n",
              w.id(),
              w.description(),
              times(ratio(w.id())),
              times(writeAmpRatio(w.id())),
              w.bar().describe(),
              !w.bar().any()
                  ? ""
                  : met == null
                      ? " -> n/a (needs both engines)"
                      : met ? " -> met" : " -> NOT met"));
    }
    out.append(
            "Timing covers the timed loop only (key generation included; open, load, compaction,"
                + " warm-up and close excluded); latency is per engine call (per batch in b, per 100"
                + " keys in scan, per seek + 10 nexts in seekrandom); ops/s marked k are keys/s;"
                + " peak RSS is the child JVM's VmHWM over the whole run, load included; write amp ="
                + " (WAL + flush + compaction bytes) / key+value bytes, read after flush and settle;"
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
    config.put("big_num", params.bigNum());
    config.put("block_cache_bytes", params.blockCacheBytes());
    config.put("bloom_bits_per_key", params.bloomBitsPerKey());
    config.putAll(runConfig);
    config.put(
        "timing",
        "timed loop only (key generation included; open, load, compaction, warm-up and close"
            + " excluded); latency per engine call");
    config.put(
        "write_amplification",
        "(WAL bytes + flush output + compaction output) / key+value bytes of the workload's writes,"
            + " read after flushing and waiting until no flush or compaction is pending");
    root.put("config", config);
    Map<String, Object> perWorkload = new LinkedHashMap<>();
    for (Workload w : workloads) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("description", w.description());
      entry.put("unit", w.unit());
      for (EngineKind e : engines) {
        Outcome<RunResult> o = find(w.id(), e);
        if (o == null) {
          continue;
        }
        entry.put(e.id(), o.json(RunResult::toJson, "ops_per_sec_runs"));
      }
      OptionalDouble r = ratio(w.id());
      OptionalDouble wa = writeAmpRatio(w.id());
      entry.put("kevo_over_rocksdb_ops", r.isPresent() ? Figures.round(r.getAsDouble(), 3) : null);
      entry.put(
          "kevo_over_rocksdb_write_amp",
          wa.isPresent() ? Figures.round(wa.getAsDouble(), 3) : null);
      Bar bar = w.bar();
      entry.put("bar", bar.describe());
      entry.put("bar_min_ops_ratio", bar.minOpsRatio());
      entry.put("bar_max_write_amp_ratio", bar.maxWriteAmpRatio());
      entry.put("ops_bar_met", opsBarMet(w));
      entry.put("write_amp_bar_met", writeAmpBarMet(w));
      entry.put("bar_met", barMet(w));
      perWorkload.put(w.id(), entry);
    }
    root.put("workloads", perWorkload);
    return root;
  }
}
