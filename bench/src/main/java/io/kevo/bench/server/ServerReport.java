package io.kevo.bench.server;

import static io.kevo.bench.report.Figures.fixed;
import static io.kevo.bench.report.Figures.median;
import static io.kevo.bench.report.Figures.roundOrNull;

import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fills in the {@link BenchReport} of one {@code server} run: a row per (workload, clients) phase
 * with the server and the embedded engine side by side, and the server issue's three bars. With
 * several runs per side, each row shows the run with the median ops/s of that side, and every run's
 * ops/s is kept. Immutable once built.
 */
final class ServerReport {
  /** The concurrency the bars are judged at. */
  static final int BAR_CLIENTS = 16;

  static final double GET_BAR_OPS = 40_000;
  static final double PUT_BAR_OPS = 30_000;
  static final double BATCH_BAR_RATIO = 0.5;

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
    Row get = row(RequestKind.GET, BAR_CLIENTS);
    Row put = row(RequestKind.PUT, BAR_CLIENTS);
    Row batch = row(RequestKind.BATCH, BAR_CLIENTS);
    return List.of(
        Bar.atLeast(
            "get_ops_16_clients",
            "server gets/s with 16 concurrent clients",
            "ops/s",
            GET_BAR_OPS,
            get == null || get.server() == null ? null : get.server().opsPerSec()),
        Bar.atLeast(
            "put_ops_16_clients",
            "server puts/s with 16 concurrent clients",
            "ops/s",
            PUT_BAR_OPS,
            put == null || put.server() == null ? null : put.server().opsPerSec()),
        Bar.atLeast(
            "batch_ops_over_embedded_16_clients",
            "server BatchWrite ops/s over the embedded engine's WriteBatch ops/s, both with 16"
                + " concurrent clients",
            "x",
            BATCH_BAR_RATIO,
            batch == null ? null : batch.ratio()));
  }

  /** The report: a row per (workload, clients) on both sides, and the three bars. */
  BenchReport report(String command) {
    BenchReport.Builder b =
        BenchReport.of("server", command, config())
            .title(
                String.format(
                    Locale.ROOT,
                    "Server: %s, %s s per phase after %s s warm-up (and %s s of gets first),"
                        + " %d keys preloaded, %d-byte keys, %d-byte values, batches of %d, no"
                        + " sync",
                    runConfig.getOrDefault("target", "?"),
                    seconds(params.durationSeconds()),
                    seconds(params.warmupSeconds()),
                    seconds(params.jitWarmupSeconds()),
                    params.preload(),
                    params.keySize(),
                    params.valueSize(),
                    params.batchSize()))
            .section("phases", table(), phasesJson())
            .section("server_runs", null, sideSummaries(serverRuns))
            .section("embedded_runs", null, sideSummaries(embeddedRuns));
    bars().forEach(b::bar);
    return b.build();
  }

  /** The console table, Markdown-compatible. */
  private String table() {
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
          r.ratio() == null ? "-" : Bar.format(r.ratio(), "x"));
    }
    return t.toString();
  }

  /** The parameters and the definitions of the figures: the JSON's {@code config}. */
  private Map<String, Object> config() {
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
    return config;
  }

  /** A row per (workload, clients): both sides' median run, every run's ops/s, their ratio. */
  private List<Object> phasesJson() {
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
    return results;
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
