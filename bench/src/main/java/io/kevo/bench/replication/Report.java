package io.kevo.bench.replication;

import static io.kevo.bench.report.Figures.median;
import static io.kevo.bench.report.Figures.roundOrNull;

import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.LatencyHistogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Fills in the {@link BenchReport} of one {@code replication} run, with the bars judged:
 * replicated throughput ≥ 0.8× the standalone node's, replica visibility lag p99 ≤ 10 ms at half of
 * the replicated throughput, catch-up ≥ 200,000 entries/s, and what replication costs each node:
 * the primary's CPU per put ≤ 1.2× the standalone node's, a replica's ≤ 5 µs per entry it applies
 * (each the median over the cost phase's runs, where both sides are paced at one rate; per process,
 * so that the figure holds for a node with a machine of its own, where the throughput ratio on a
 * shared machine does not). Immutable once built.
 */
final class Report {
  static final double MIN_THROUGHPUT_RATIO = 0.8;
  static final double MAX_LAG_P99_MS = 10;
  static final double MIN_CATCHUP_RATE = 200_000;
  static final double MAX_PRIMARY_CPU_RATIO = 1.2;
  static final double MAX_REPLICA_CPU_US = 5;

  private final ReplicationParams params;
  private final String command;
  private final Map<String, Object> config;
  private final List<ThroughputRun> standalone;
  private final List<ThroughputRun> replicated;
  private final List<ThroughputRun> otherCodecs;
  private final List<ThroughputRun> costStandalone;
  private final List<ThroughputRun> costReplicated;
  private final VisibilityResult visibility;
  private final CatchUpResult catchUp;

  /**
   * @param replicated the runs with the main codec
   * @param otherCodecs one run per other codec
   * @param costStandalone the cost phase's standalone runs (paced)
   * @param costReplicated the cost phase's replicated runs, at the same pace
   * @param visibility null if the lag phase did not run
   * @param catchUp null if the catch-up phase did not run
   */
  Report(
      ReplicationParams params,
      String command,
      Map<String, Object> config,
      List<ThroughputRun> standalone,
      List<ThroughputRun> replicated,
      List<ThroughputRun> otherCodecs,
      List<ThroughputRun> costStandalone,
      List<ThroughputRun> costReplicated,
      VisibilityResult visibility,
      CatchUpResult catchUp) {
    this.params = params;
    this.command = command;
    this.config = config;
    this.standalone = List.copyOf(standalone);
    this.replicated = List.copyOf(replicated);
    this.otherCodecs = List.copyOf(otherCodecs);
    this.costStandalone = List.copyOf(costStandalone);
    this.costReplicated = List.copyOf(costReplicated);
    this.visibility = visibility;
    this.catchUp = catchUp;
  }

  /** Replicated ÷ standalone median ops/s; null without both. */
  Double throughputRatio() {
    ThroughputRun s = median(standalone, ThroughputRun::opsPerSec);
    ThroughputRun r = median(replicated, ThroughputRun::opsPerSec);
    return s == null || r == null ? null : r.opsPerSec() / s.opsPerSec();
  }

  /**
   * The primary's CPU per put over the standalone node's in the cost phase, each the median over
   * its runs; null without both.
   */
  Double primaryCpuRatio() {
    Double s = medianOf(costStandalone, t -> t.cpuMicrosPerPut("standalone"));
    Double p = medianOf(costReplicated, t -> t.cpuMicrosPerPut("primary"));
    return s == null || p == null || s <= 0 ? null : p / s;
  }

  /**
   * The replicas' CPU per applied entry in the cost phase (the costlier replica of each run),
   * median; µs.
   */
  Double replicaCpuMicros() {
    return medianOf(costReplicated, ThroughputRun::replicaCpuMicrosPerEntry);
  }

  /** The median of {@code figure} over the runs that have it (lower middle); null for none. */
  static Double medianOf(List<ThroughputRun> runs, Function<ThroughputRun, Double> figure) {
    ThroughputRun m = medianBy(runs, figure);
    return m == null ? null : figure.apply(m);
  }

  /** The run with the median {@code figure} of those that have it, as {@link Figures#median}. */
  private static ThroughputRun medianBy(
      List<ThroughputRun> runs, Function<ThroughputRun, Double> figure) {
    return median(runs.stream().filter(t -> figure.apply(t) != null).toList(), figure::apply);
  }

  List<Bar> bars() {
    LatencyHistogram h = visibility == null ? null : visibility.pooledAfterAck();
    Bar lag =
        Bar.atMost(
            "visibility_lag_p99_half_load",
            "replica visibility lag p99 at half load",
            "ms",
            MAX_LAG_P99_MS,
            h == null ? null : h.percentile(99) / 1e6);
    if (visibility != null) {
      lag =
          lag.unless(h.count() > 0, "no marker seen")
              .unless(
                  visibility.timeouts() == 0,
                  visibility.timeouts() + " markers never became visible");
    }
    return List.of(
        Bar.atLeast(
            "replicated_over_standalone",
            "replicated throughput over standalone",
            "x",
            MIN_THROUGHPUT_RATIO,
            throughputRatio()),
        Bar.atMost(
            "primary_cpu_per_put_over_standalone",
            "primary's CPU per put over the standalone node's",
            "x",
            MAX_PRIMARY_CPU_RATIO,
            primaryCpuRatio()),
        Bar.atMost(
            "replica_cpu_per_entry",
            "a replica's CPU per applied entry",
            "µs",
            MAX_REPLICA_CPU_US,
            replicaCpuMicros()),
        lag,
        Bar.atLeast(
            "catch_up_rate",
            "catch-up rate",
            "entries/s",
            MIN_CATCHUP_RATE,
            catchUp == null ? null : catchUp.rate()));
  }

  /** The report: throughput, bytes per codec, visibility lag and catch-up, and the three bars. */
  BenchReport report() {
    BenchReport.Builder b =
        BenchReport.of("replication", command, config)
            .title(
                String.format(
                    Locale.ROOT,
                    "Replication: primary + %d replicas (child JVMs on 127.0.0.1), %d writers,"
                        + " %d-byte keys, %d-byte values (%.0f%% random), sync none",
                    params.replicas(),
                    params.clients(),
                    params.keySize(),
                    params.valueSize(),
                    params.randomFraction() * 100))
            .section("throughput", throughputText(), throughputJson())
            .section("wire_by_codec", codecText(), codecJson())
            .section("cost", costText(), costJson())
            .section(
                "visibility",
                visibility == null ? null : visibilityText(visibility),
                visibility == null ? null : visibility.toJson())
            .section(
                "catch_up",
                catchUp == null ? null : catchUpText(catchUp),
                catchUp == null ? null : catchUp.toJson());
    bars().forEach(b::bar);
    return b.build();
  }

  /** One row per codec: the main codec's median run, then the others. */
  List<ThroughputRun> codecRows() {
    List<ThroughputRun> rows = new ArrayList<>();
    ThroughputRun main = median(replicated, ThroughputRun::opsPerSec);
    if (main != null) {
      rows.add(main);
    }
    rows.addAll(otherCodecs);
    return rows;
  }

  private String throughputText() {
    if (standalone.isEmpty() && replicated.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Throughput (puts/s over %.0f s; median of %d):%n",
            params.durationSeconds(),
            params.repeat()));
    row(out, "standalone", median(standalone, ThroughputRun::opsPerSec));
    row(
        out,
        "replicated (" + ReplicationParams.id(params.mainCodec()) + ")",
        median(replicated, ThroughputRun::opsPerSec));
    all(out, "standalone", standalone);
    all(out, "replicated", replicated);
    return out.toString();
  }

  private String costText() {
    if (costStandalone.isEmpty() && costReplicated.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "CPU per put at one paced rate (median of %d; each node's CPU over %.0f s ÷ puts):%n",
            params.repeat(),
            params.durationSeconds()));
    row(out, "standalone", medianBy(costStandalone, t -> t.cpuMicrosPerPut("standalone")));
    row(out, "replicated", medianBy(costReplicated, t -> t.cpuMicrosPerPut("primary")));
    return out.toString();
  }

  private Map<String, Object> costJson() {
    if (costStandalone.isEmpty() && costReplicated.isEmpty()) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("standalone_runs", costStandalone.stream().map(ThroughputRun::toJson).toList());
    m.put("replicated_runs", costReplicated.stream().map(ThroughputRun::toJson).toList());
    m.put("primary_cpu_over_standalone", roundOrNull(primaryCpuRatio(), 3));
    m.put("replica_cpu_us_per_entry", roundOrNull(replicaCpuMicros(), 2));
    return m;
  }

  private String codecText() {
    List<ThroughputRun> codecs = codecRows();
    if (codecs.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Bytes the primary sent per entry per replica (the throughput runs):%n"
                + "  %-7s %10s %12s %12s %9s %9s%n",
            "codec",
            "puts/s",
            "raw B/entry",
            "wire B/entry",
            "wire/raw",
            "vs none"));
    Double none = wirePerEntry(codecs, "none");
    for (ThroughputRun r : codecs) {
      double wire = 1.0 * r.wire().wire() / Math.max(1, r.wire().entries());
      out.append(
          String.format(
              Locale.ROOT,
              "  %-7s %,10.0f %12.1f %12.1f %9.3f %9s%n",
              r.codec(),
              r.opsPerSec(),
              1.0 * r.wire().raw() / Math.max(1, r.wire().entries()),
              wire,
              1.0 * r.wire().wire() / Math.max(1, r.wire().raw()),
              none == null ? "-" : String.format(Locale.ROOT, "%.3f", wire / none)));
    }
    return out.toString();
  }

  private static String visibilityText(VisibilityResult v) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Visibility lag at %,.0f puts/s%s: achieved %,.0f puts/s, put p50 %.0f µs p99 %.0f"
                + " µs; one probe per replica every %.1f ms (load %.2f)%n",
            v.targetRate(),
            v.maxRate() > 0 ? String.format(Locale.ROOT, " (half of %,.0f)", v.maxRate()) : "",
            v.achievedRate(),
            v.writerP50Us(),
            v.writerP99Us(),
            v.intervalMs(),
            v.loadAverage()));
    out.append(
        String.format(
            Locale.ROOT,
            "  %-9s %8s %9s %9s %9s %9s | after send: %7s %7s | Get RTT p50%n",
            "replica",
            "samples",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "p50",
            "p99"));
    for (VisibilityProbe.Result p : v.probes()) {
      lagRow(out, p.replica(), p.afterAck(), p.afterSend(), p.getRoundTrip());
    }
    lagRow(out, "all", v.pooledAfterAck(), v.pooledAfterSend(), null);
    for (VisibilityProbe.Result p : v.probes()) {
      slowRow(out, p);
    }
    if (v.pooledAfterAck().count() < 1_000) {
      // A probe takes its next sample only once the previous marker was seen, so a long lag
      // leaves few samples: the percentiles are then rough, the verdict is not.
      out.append(
          String.format(
              Locale.ROOT,
              "  only %d samples (fewer than 1,000: each probe waits for its marker)%n",
              v.pooledAfterAck().count()));
    }
    if (v.timeouts() > 0) {
      out.append(
          String.format(Locale.ROOT, "  %d markers never became visible (30 s)%n", v.timeouts()));
    }
    cpu(out, v.cpuCores());
    jitAndSteal(out, v.jitShare(), v.stealShare());
    return out.toString();
  }

  private static String catchUpText(CatchUpResult c) {
    return String.format(
        Locale.ROOT,
        "Catch-up: %,d entries behind (written %s in %.1f s), replica restarted (load"
            + " %.2f):%n  serving after %.0f ms, first progress seen at %.0f ms, caught up"
            + " at %.0f ms: %,.0f entries/s (%,.0f from JVM start)%s%n",
        c.toSequence() - c.fromSequence(),
        c.batch() == 1 ? "as single puts" : "in batches of " + c.batch(),
        c.loadSeconds(),
        c.loadAverage(),
        c.servingMs(),
        c.firstProgressMs(),
        c.caughtUpMs(),
        c.rate(),
        c.overallRate(),
        c.replicaCpuCores() == null
            ? ""
            : String.format(Locale.ROOT, ", replica CPU %.2f cores", c.replicaCpuCores()));
  }

  private static Double wirePerEntry(List<ThroughputRun> rows, String codec) {
    for (ThroughputRun r : rows) {
      if (codec.equals(r.codec()) && r.wire().entries() > 0) {
        return 1.0 * r.wire().wire() / r.wire().entries();
      }
    }
    return null;
  }

  private static void row(StringBuilder out, String label, ThroughputRun r) {
    if (r == null) {
      return;
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  %-20s %,10.0f puts/s  p50 %6.0f µs  p99 %7.0f µs  (load %.2f)%n",
            label,
            r.opsPerSec(),
            r.p50Us(),
            r.p99Us(),
            r.loadAverage()));
    if (r.convergeMs() != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-20s replicas behind by %s entries when the writers stopped; all caught up"
                  + " %.0f ms later%n",
              "",
              r.endLagEntries(),
              r.convergeMs()));
    }
    cpu(out, r.cpuCores());
    out.append(
        String.format(
            Locale.ROOT,
            "  %-20s CPU µs per put:%s%n",
            "",
            Figures.cells(r.cpuMicrosPerPut(), "%.1f")));
    jitAndSteal(out, r.jitShare(), r.stealShare());
  }

  private static void jitAndSteal(StringBuilder out, Map<String, Double> jit, Double steal) {
    out.append(
        String.format(
            Locale.ROOT,
            "  %-20s JIT compilers' share of that CPU:%s; machine CPU stolen by the host: %s%n",
            "",
            Figures.cpuCells(jit),
            Figures.percentOrUnknown(steal)));
  }

  private static void all(StringBuilder out, String label, List<ThroughputRun> runs) {
    if (runs.size() > 1) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-20s every run: %s%n",
              label,
              Figures.everyRun(runs, ThroughputRun::opsPerSec)));
    }
  }

  private static void cpu(StringBuilder out, Map<String, Double> cores) {
    out.append(String.format(Locale.ROOT, "  %-20s CPU cores:%s%n", "", Figures.cpuCells(cores)));
  }

  /** Where in the window a replica's samples over the bar fell: seconds from its first sample. */
  static void slowRow(StringBuilder out, VisibilityProbe.Result p) {
    if (p.slow().isEmpty()) {
      return;
    }
    SortedSet<Long> seconds = new TreeSet<>();
    p.slow().forEach(x -> seconds.add(x.offsetMillis() / 1_000));
    out.append(
        String.format(
            Locale.ROOT,
            "  %s: %d sample(s) of 10 ms or more, in second(s) %s of the window (the JSON has"
                + " each one's wall-clock time)%n",
            p.replica(),
            p.slow().size(),
            seconds));
  }

  private static void lagRow(
      StringBuilder out,
      String label,
      LatencyHistogram ack,
      LatencyHistogram send,
      LatencyHistogram rtt) {
    out.append(
        String.format(
            Locale.ROOT,
            "  %-9s %8d %9.3f %9.3f %9.3f %9.3f | after send: %7.3f %7.3f | %s%n",
            label,
            ack.count(),
            ack.percentile(50) / 1e6,
            ack.percentile(99) / 1e6,
            ack.percentile(99.9) / 1e6,
            ack.max() / 1e6,
            send.percentile(50) / 1e6,
            send.percentile(99) / 1e6,
            rtt == null ? "" : String.format(Locale.ROOT, "%.0f µs", rtt.percentile(50) / 1e3)));
  }

  private Map<String, Object> throughputJson() {
    Map<String, Object> t = new LinkedHashMap<>();
    ThroughputRun s = median(standalone, ThroughputRun::opsPerSec);
    ThroughputRun r = median(replicated, ThroughputRun::opsPerSec);
    t.put("standalone", s == null ? null : s.toJson());
    t.put("replicated", r == null ? null : r.toJson());
    t.put(
        "standalone_ops_per_sec_runs",
        standalone.stream().map(x -> roundOrNull(x.opsPerSec(), 1)).toList());
    t.put(
        "replicated_ops_per_sec_runs",
        replicated.stream().map(x -> roundOrNull(x.opsPerSec(), 1)).toList());
    t.put("replicated_over_standalone", roundOrNull(throughputRatio(), 4));
    t.put("runs", runsJson());
    return t;
  }

  private List<Object> codecJson() {
    List<Object> codecs = new ArrayList<>();
    Double none = wirePerEntry(codecRows(), "none");
    for (ThroughputRun c : codecRows()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("codec", c.codec());
      row.put("ops_per_sec", roundOrNull(c.opsPerSec(), 1));
      row.putAll(wireJson(c.wire()));
      double perEntry = 1.0 * c.wire().wire() / Math.max(1, c.wire().entries());
      row.put("wire_over_none", none == null ? null : roundOrNull(perEntry / none, 4));
      codecs.add(row);
    }
    return codecs;
  }

  private List<Object> runsJson() {
    List<Object> runs = new ArrayList<>();
    standalone.forEach(x -> runs.add(x.toJson()));
    replicated.forEach(x -> runs.add(x.toJson()));
    otherCodecs.forEach(x -> runs.add(x.toJson()));
    return runs;
  }

  static Map<String, Object> wireJson(Cluster.Wire w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bytes_sent_raw", w.raw());
    m.put("bytes_sent_wire", w.wire());
    m.put("entries_sent", w.entries());
    m.put(
        "raw_bytes_per_entry",
        w.entries() == 0 ? null : roundOrNull(1.0 * w.raw() / w.entries(), 2));
    m.put(
        "wire_bytes_per_entry",
        w.entries() == 0 ? null : roundOrNull(1.0 * w.wire() / w.entries(), 2));
    m.put("wire_over_raw", w.raw() == 0 ? null : roundOrNull(1.0 * w.wire() / w.raw(), 4));
    return m;
  }
}
