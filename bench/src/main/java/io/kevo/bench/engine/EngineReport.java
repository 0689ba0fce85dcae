package io.kevo.bench.engine;

import static io.kevo.bench.report.Figures.fixed;
import static io.kevo.bench.report.Figures.times;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.Outcome;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.report.Table;
import io.kevo.bench.workload.Target;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fills in the {@link BenchReport} of one {@code engine} run: a table of every (workload, engine)
 * run with the Kevo/RocksDB ratios, and a bar per workload target. Under {@code results.workloads},
 * per workload and engine: {@code ops_per_sec}, {@code p50_us}, {@code p99_us}, {@code p999_us},
 * {@code peak_rss_mb}, {@code write_amplification}; per workload {@code kevo_over_rocksdb_ops} and
 * {@code kevo_over_rocksdb_write_amp}. Immutable.
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
  Double ratio(String workload) {
    return kevoOverRocksDb(workload, r -> r.phase().opsPerSec());
  }

  /** Kevo's write amplification over RocksDB's for {@code workload}, if both measured one. */
  Double writeAmpRatio(String workload) {
    return kevoOverRocksDb(workload, r -> r.writeAmp() == null ? -1 : r.writeAmp().amplification());
  }

  /** Kevo's figure over RocksDB's for {@code workload}, if both ran and RocksDB's is positive. */
  private Double kevoOverRocksDb(
      String workload, java.util.function.ToDoubleFunction<RunResult> f) {
    RunResult kevo = result(workload, EngineKind.KEVO);
    RunResult rocks = result(workload, EngineKind.ROCKSDB);
    if (kevo == null || rocks == null || f.applyAsDouble(rocks) <= 0 || f.applyAsDouble(kevo) < 0) {
      return null;
    }
    return f.applyAsDouble(kevo) / f.applyAsDouble(rocks);
  }

  /**
   * The workload's targets as judged bars: ops/s, write amplification, peak RSS and p99 latency
   * over RocksDB's.
   */
  private List<Bar> bars(Workload w) {
    List<Bar> bars = new ArrayList<>();
    Target t = w.target();
    if (t.minOpsRatio() != null) {
      bars.add(
          Bar.atLeast(
              w.id() + "_ops_over_rocksdb",
              w.id() + ": Kevo ops/s over RocksDB's",
              "x",
              t.minOpsRatio(),
              ratio(w.id())));
    }
    if (t.maxWriteAmpRatio() != null) {
      bars.add(
          Bar.atMost(
              w.id() + "_write_amp_over_rocksdb",
              w.id() + ": Kevo's write amplification over RocksDB's",
              "x",
              t.maxWriteAmpRatio(),
              writeAmpRatio(w.id())));
    }
    if (t.maxRssRatio() != null) {
      bars.add(
          Bar.atMost(
              w.id() + "_rss_over_rocksdb",
              w.id() + ": Kevo's peak RSS over RocksDB's, same -Xmx",
              "x",
              t.maxRssRatio(),
              kevoOverRocksDb(w.id(), RunResult::peakRssMb)));
    }
    if (t.maxP99Ratio() != null) {
      bars.add(
          Bar.atMost(
              w.id() + "_p99_over_rocksdb",
              w.id() + ": Kevo's p99 latency over RocksDB's",
              "x",
              t.maxP99Ratio(),
              kevoOverRocksDb(w.id(), r -> r.phase().p99Us())));
    }
    return bars;
  }

  /** The report: one table of every (workload, engine) run, a bar per target. */
  BenchReport report(String command) {
    BenchReport.Builder b =
        BenchReport.of("engine", command, config())
            .title("Engine: Kevo and RocksDB on the same workloads, each run in a fresh directory")
            .section("workloads", table(), workloadsJson());
    workloads.forEach(w -> bars(w).forEach(b::bar));
    return b.note(
            "Timing covers the timed loop only (key generation included; open, load, compaction,"
                + " warm-up and close excluded); latency is per engine call (per batch in b, per 100"
                + " keys in scan, per seek + 10 nexts in seekrandom); ops/s marked k are keys/s;"
                + " peak RSS is the child JVM's VmHWM over the whole run, load included; write amp ="
                + " (WAL + flush + compaction bytes) / key+value bytes, read after flush and settle;"
                + " with --repeat, each row is the run with the median ops/s.")
        .build();
  }

  /** The console table, Markdown-compatible, then each workload with its ratios. */
  private String table() {
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
    out.append(t);
    for (Workload w : workloads) {
      out.append(
          String.format(
              Locale.ROOT,
              "%s: %s; kevo/rocksdb ops/s %s, write amp %s%n",
              w.id(),
              w.description(),
              times(ratio(w.id())),
              times(writeAmpRatio(w.id()))));
    }
    return out.toString();
  }

  /** The parameters and the definitions of the figures: the JSON's {@code config}. */
  private Map<String, Object> config() {
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
    return config;
  }

  /** Per workload: its description, unit, every engine's runs and the Kevo/RocksDB ratios. */
  private Map<String, Object> workloadsJson() {
    Map<String, Object> perWorkload = new LinkedHashMap<>();
    for (Workload w : workloads) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("description", w.description());
      entry.put("unit", w.unit());
      for (EngineKind e : engines) {
        Outcome<RunResult> o = find(w.id(), e);
        if (o != null) {
          entry.put(e.id(), o.json(RunResult::toJson, "ops_per_sec_runs"));
        }
      }
      entry.put("kevo_over_rocksdb_ops", Figures.roundOrNull(ratio(w.id()), 3));
      entry.put("kevo_over_rocksdb_write_amp", Figures.roundOrNull(writeAmpRatio(w.id()), 3));
      perWorkload.put(w.id(), entry);
    }
    return perWorkload;
  }
}
