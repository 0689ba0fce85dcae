package io.kevo.bench.server;

import static io.kevo.bench.report.Figures.fixed;
import static io.kevo.bench.report.Figures.median;
import static io.kevo.bench.report.Figures.roundOrNull;

import io.kevo.bench.report.MachineInfo;
import io.kevo.bench.report.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one {@code server} run: the console table, the bar verdicts and the JSON document.
 * With several runs per side, each (workload, clients) row shows the run with the median ops/s of
 * that side, and every run's ops/s is kept. JSON field names are tracked over time; extend, do not
 * rename.
 */
final class ServerReport {
  /** The concurrency the bars are judged at. */
  static final int BAR_CLIENTS = 16;

  static final double GET_BAR_OPS = 40_000;
  static final double PUT_BAR_OPS = 30_000;
  static final double BATCH_BAR_RATIO = 0.5;

  /** One bar: what it asks, what was measured, and whether it holds (null: not measured). */
  record Bar(String id, String description, Double value, double threshold, Boolean met) {}

  /** One row: a (workload, clients) phase on both sides. */
  record Row(
      String workload,
      int clients,
      PhaseStats server,
      List<Double> serverRuns,
      PhaseStats embedded,
      List<Double> embeddedRuns) {

    /** Server ops/s over embedded ops/s; null without both. */
    Double ratio() {
      return server == null || embedded == null || embedded.opsPerSec() <= 0
          ? null
          : server.opsPerSec() / embedded.opsPerSec();
    }
  }

  private final LoadParams params;
  private final Map<String, Object> runConfig;
  private final List<SideResult> serverRuns;
  private final List<SideResult> embeddedRuns;
  private final List<Row> rows = new ArrayList<>();

  ServerReport(
      LoadParams params,
      Map<String, Object> runConfig,
      List<SideResult> serverRuns,
      List<SideResult> embeddedRuns) {
    this.params = params;
    this.runConfig = runConfig;
    this.serverRuns = List.copyOf(serverRuns);
    this.embeddedRuns = List.copyOf(embeddedRuns);
    for (RequestKind w : params.workloads()) {
      for (int c : params.clients()) {
        List<PhaseStats> s = phases(serverRuns, w.id(), c);
        List<PhaseStats> e = phases(embeddedRuns, w.id(), c);
        rows.add(
            new Row(
                w.id(),
                c,
                median(s, PhaseStats::opsPerSec),
                opsRuns(s),
                median(e, PhaseStats::opsPerSec),
                opsRuns(e)));
      }
    }
  }

  List<Row> rows() {
    return rows;
  }

  Row row(RequestKind w, int clients) {
    for (Row r : rows) {
      if (r.workload().equals(w.id()) && r.clients() == clients) {
        return r;
      }
    }
    return null;
  }

  /** The three bars of the server issue, judged at {@link #BAR_CLIENTS} clients. */
  List<Bar> bars() {
    List<Bar> bars = new ArrayList<>();
    Row get = row(RequestKind.GET, BAR_CLIENTS);
    Double getOps = get == null || get.server() == null ? null : get.server().opsPerSec();
    bars.add(
        new Bar(
            "get_ops_16_clients",
            "server gets/s with 16 concurrent clients >= 40,000",
            getOps,
            GET_BAR_OPS,
            getOps == null ? null : getOps >= GET_BAR_OPS));
    Row put = row(RequestKind.PUT, BAR_CLIENTS);
    Double putOps = put == null || put.server() == null ? null : put.server().opsPerSec();
    bars.add(
        new Bar(
            "put_ops_16_clients",
            "server puts/s with 16 concurrent clients >= 30,000",
            putOps,
            PUT_BAR_OPS,
            putOps == null ? null : putOps >= PUT_BAR_OPS));
    Row batch = row(RequestKind.BATCH, BAR_CLIENTS);
    Double ratio = batch == null ? null : batch.ratio();
    bars.add(
        new Bar(
            "batch_ops_over_embedded_16_clients",
            "server BatchWrite ops/s >= 50% of the embedded engine's WriteBatch ops/s, both with"
                + " 16 concurrent clients",
            ratio,
            BATCH_BAR_RATIO,
            ratio == null ? null : ratio >= BATCH_BAR_RATIO));
    return bars;
  }

  /** True if every bar is met, false if one is not, null if one could not be judged. */
  Boolean barsMet() {
    boolean all = true;
    for (Bar b : bars()) {
      if (b.met() == null) {
        return null;
      }
      all &= b.met();
    }
    return all;
  }

  /** The console table (Markdown-compatible), a line per bar, and notes. */
  String table() {
    StringBuilder out = new StringBuilder();
    Table t =
        new Table(
            "8<workload",
            "7>clients",
            "11>server|ops/s",
            "9>server|calls/s",
            "8>server|p50 µs",
            "8>server|p99 µs",
            "9>server|CPU cores",
            "9>server|CPU µs/op",
            "9>loadgen|CPU µs/op",
            "11>embedded|ops/s",
            "8>embedded|p50 µs",
            "8>embedded|p99 µs",
            "9>embedded|CPU µs/op",
            "9>server /|embedded");
    for (Row r : rows) {
      PhaseStats s = r.server();
      PhaseStats e = r.embedded();
      t.row(
          r.workload(),
          r.clients(),
          s == null ? "-" : whole(s.opsPerSec()),
          s == null ? "-" : whole(s.callsPerSec()),
          s == null ? "-" : fixed(s.latencyUs().p50()),
          s == null ? "-" : fixed(s.latencyUs().p99()),
          s == null ? "-" : orNa(s.cpuCores(), 2),
          s == null ? "-" : orNa(s.cpuUsPerOp(), 1),
          s == null ? "-" : orNa(s.driverCpuUsPerOp(), 1),
          e == null ? "-" : whole(e.opsPerSec()),
          e == null ? "-" : fixed(e.latencyUs().p50()),
          e == null ? "-" : fixed(e.latencyUs().p99()),
          e == null ? "-" : orNa(e.cpuUsPerOp(), 1),
          r.ratio() == null ? "-" : ratio(r.ratio()));
    }
    out.append(t).append(System.lineSeparator());
    out.append(
        String.format(
            Locale.ROOT,
            "server: %s, %s s per phase after %s s warm-up (and %s s of gets first),"
                + " %d keys preloaded, %d-byte keys, %d-byte values, batches of %d, no sync%n",
            runConfig.getOrDefault("target", "?"),
            seconds(params.durationSeconds()),
            seconds(params.warmupSeconds()),
            seconds(params.jitWarmupSeconds()),
            params.preload(),
            params.keySize(),
            params.valueSize(),
            params.batchSize()));
    for (Bar b : bars()) {
      String value =
          b.value() == null
              ? "n/a"
              : b.id().contains("over") ? ratio(b.value()) : whole(b.value()) + " ops/s";
      out.append(
          String.format(
              Locale.ROOT,
              "bar: %s: %s -> %s%n",
              b.description(),
              value,
              b.met() == null ? "n/a (not measured)" : b.met() ? "MET" : "NOT MET"));
    }
    return out.toString();
  }

  /** The JSON document written by {@code --json}. */
  Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "server");
    root.put("date", Instant.now().toString());
    root.put("machine", MachineInfo.describe());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("workloads", params.workloads().stream().map(RequestKind::id).toList());
    config.put("clients", params.clients());
    config.put("duration_s", params.durationSeconds());
    config.put("warmup_s", params.warmupSeconds());
    config.put("jit_warmup_s", params.jitWarmupSeconds());
    config.put("preload_keys", params.preload());
    config.put("key_size", params.keySize());
    config.put("value_size", params.valueSize());
    config.put("batch_size", params.batchSize());
    config.put("seed", params.seed());
    config.putAll(runConfig);
    config.put("engine_options", EngineSetup.DESCRIPTION);
    config.put(
        "timing",
        "each phase: clients start, warm up for warmup_s (not counted), then calls completing"
            + " within a timed window of duration_s are counted; ops_per_sec = calls x ops_per_call"
            + " / window; latency = sending a prepared request to its completion, per call (a"
            + " batch is one call); percentiles from a log-linear histogram (<= 0.8% bucket error)");
    config.put(
        "cpu",
        "cpu_s = utime+stime from /proc/<pid>/stat of the serving process over the window (the"
            + " server JVM; for embedded, the JVM running engine and client threads); cpu_cores ="
            + " cpu_s / window; cpu_us_per_op = cpu_s / ops; driver_cpu_* = the load generator's"
            + " JVM (server side only); null where the server's process cannot be read");
    root.put("config", config);
    root.put("server_runs", sideSummaries(serverRuns));
    root.put("embedded_runs", sideSummaries(embeddedRuns));
    List<Object> results = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", r.workload());
      m.put("clients", r.clients());
      m.put("ops_per_call", params.opsPerCall(RequestKind.fromId(r.workload())));
      m.put("server", side(r.server(), r.serverRuns()));
      m.put("embedded", side(r.embedded(), r.embeddedRuns()));
      m.put("server_over_embedded_ops", roundOrNull(r.ratio(), 4));
      results.add(m);
    }
    root.put("results", results);
    List<Object> bars = new ArrayList<>();
    for (Bar b : bars()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", b.id());
      m.put("bar", b.description());
      m.put("value", roundOrNull(b.value(), 4));
      m.put("threshold", b.threshold());
      m.put("met", b.met());
      bars.add(m);
    }
    root.put("bars", bars);
    root.put("bars_met", barsMet());
    return root;
  }

  private static Map<String, Object> side(PhaseStats p, List<Double> runs) {
    if (p == null) {
      return null;
    }
    Map<String, Object> m = p.toJson();
    if (p.opsPerCall() > 1) {
      m.put("batches_per_sec", m.get("calls_per_sec"));
    }
    m.put("ops_per_sec_runs", runs);
    return m;
  }

  private static List<Object> sideSummaries(List<SideResult> runs) {
    List<Object> list = new ArrayList<>();
    for (SideResult r : runs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("preload_keys", r.preloadKeys());
      m.put("load_ms", roundOrNull(r.loadMs(), 1));
      m.put("compact_ms", roundOrNull(r.compactMs(), 1));
      m.put("peak_rss_mb", roundOrNull(r.peakRssMb(), 1));
      list.add(m);
    }
    return list;
  }

  private static List<PhaseStats> phases(List<SideResult> runs, String workload, int clients) {
    List<PhaseStats> list = new ArrayList<>();
    for (SideResult r : runs) {
      PhaseStats p = r.phase(workload, clients);
      if (p != null) {
        list.add(p);
      }
    }
    return list;
  }

  private static List<Double> opsRuns(List<PhaseStats> runs) {
    List<Double> list = new ArrayList<>();
    runs.forEach(p -> list.add(roundOrNull(p.opsPerSec(), 1)));
    return list;
  }

  private static String ratio(double v) {
    return String.format(Locale.ROOT, v >= 0.1 ? "%.3fx" : "%.4fx", v);
  }

  private static String seconds(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String whole(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String orNa(Double v, int digits) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}
