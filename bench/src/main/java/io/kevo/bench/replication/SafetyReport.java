package io.kevo.bench.replication;

import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.LatencyHistogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fills in the {@link BenchReport} of one {@code safety} run: put throughput and latency per
 * acknowledgement level beside the standalone baseline, read-your-writes latency against a plain
 * replica read, and a brand-new replica's bootstrap time judged against the bar (≤ 2.1 s
 * from the replica's process start to caught up, a Redis full resync of the same data on this
 * machine). Immutable once built.
 */
final class SafetyReport {
  static final double BOOTSTRAP_BAR_MS = 2_100;

  private final SafetyParams params;
  private final String command;
  private final Map<String, Object> config;
  private final List<AckRun> acks;
  private final List<RywResult> ryw;
  private final BootstrapResult bootstrap;

  /**
   * @param acks every run of the acks phase, any order
   * @param ryw one result per background rate
   * @param bootstrap null if the bootstrap phase did not run
   */
  SafetyReport(
      SafetyParams params,
      String command,
      Map<String, Object> config,
      List<AckRun> acks,
      List<RywResult> ryw,
      BootstrapResult bootstrap) {
    this.params = params;
    this.command = command;
    this.config = config;
    this.acks = List.copyOf(acks);
    this.ryw = List.copyOf(ryw);
    this.bootstrap = bootstrap;
  }

  /** The sides of the acks phase in report order: standalone, then the levels as asked. */
  List<String> sides() {
    List<String> sides = new ArrayList<>();
    sides.add(AckRun.STANDALONE);
    params.levels().forEach(l -> sides.add(l.toString()));
    return sides;
  }

  List<AckRun> runsOf(String side) {
    return acks.stream().filter(r -> r.side().equals(side)).toList();
  }

  /** The run of {@code side} with the median puts/s (the lower one of an even count); or null. */
  AckRun median(String side) {
    return Figures.median(runsOf(side), AckRun::opsPerSec);
  }

  /** {@code side}'s median puts/s over the standalone median; null without both. */
  Double overStandalone(String side) {
    AckRun s = median(AckRun.STANDALONE);
    AckRun r = median(side);
    return s == null || r == null ? null : r.opsPerSec() / s.opsPerSec();
  }

  /**
   * The bar on the median bootstrap run: caught up within {@link #BOOTSTRAP_BAR_MS} of the
   * replica's process start, having bootstrapped from a snapshot. Not measured if the phase did not
   * run.
   */
  Bar bootstrapBar() {
    BootstrapRun m = bootstrap == null ? null : bootstrap.median();
    return Bar.atMost(
            "bootstrap_caught_up",
            "brand-new replica: process start to caught up (median run)",
            "ms",
            BOOTSTRAP_BAR_MS,
            m == null ? null : m.caughtUpMs())
        .unless(m == null || m.bootstraps() > 0, "no snapshot: it caught up from the log");
  }

  /** The report: the acknowledgement levels, read-your-writes, the bootstrap, and its bar. */
  BenchReport report() {
    return BenchReport.of("safety", command, config)
        .title(
            String.format(
                Locale.ROOT,
                "Replication safety: child JVMs on 127.0.0.1, sync none, %d-byte keys",
                params.keySize()))
        .section("acks", acks.isEmpty() ? null : acksText(), acks.isEmpty() ? null : acksJson())
        .section(
            "ryw",
            String.join(System.lineSeparator(), ryw.stream().map(SafetyReport::rywText).toList()),
            ryw.stream().map(RywResult::toJson).toList())
        .section(
            "bootstrap",
            bootstrap == null ? null : bootstrapText(),
            bootstrap == null ? null : bootstrap.toJson())
        .bar(bootstrapBar())
        .build();
  }

  private String acksText() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Acknowledgement levels: primary + %d replicas, %d writers with one put in flight each,"
                + " %d-byte values; puts/s over %.0f s, median of %d run(s) per side:%n"
                + "  %-11s %10s %8s %9s %9s %10s %12s  %s%n",
            params.replicas(),
            params.clients(),
            params.valueSize(),
            params.durationSeconds(),
            params.repeat(),
            "side",
            "puts/s",
            "vs alone",
            "p50 µs",
            "p99 µs",
            "p99.9 µs",
            "unconfirmed",
            "CPU cores"));
    for (String side : sides()) {
      AckRun r = median(side);
      if (r == null) {
        continue;
      }
      Double ratio = overStandalone(side);
      out.append(
          String.format(
              Locale.ROOT,
              "  %-11s %,10.0f %8s %9.0f %9.0f %10.0f %12d %s%n",
              side,
              r.opsPerSec(),
              ratio == null ? "-" : String.format(Locale.ROOT, "%.3fx", ratio),
              r.p50Us(),
              r.p99Us(),
              r.p999Us(),
              r.unconfirmed(),
              Figures.cpuCells(new TreeMap<>(r.cpuCores()))));
    }
    for (String side : sides()) {
      List<AckRun> runs = runsOf(side);
      if (runs.size() > 1) {
        out.append(
            String.format(
                Locale.ROOT,
                "  %-11s every run: %s%n",
                side,
                Figures.everyRun(runs, AckRun::opsPerSec)));
      }
    }
    return out.toString();
  }

  private static String rywText(RywResult r) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Read-your-writes: one probe per replica (put on the primary, then at once Get from"
                + " the replica), background writes %s (load %.2f):%n",
            r.targetRate() > 0
                ? String.format(
                    Locale.ROOT,
                    "at %,.0f puts/s asked, %,.0f achieved",
                    r.targetRate(),
                    r.achievedRate())
                : "none",
            r.loadAverage()));
    out.append(
        String.format(
            Locale.ROOT,
            "  %-28s %8s %9s %9s %9s %9s  %s%n",
            "Get",
            "samples",
            "p50 µs",
            "p99 µs",
            "p99.9 µs",
            "max µs",
            "outcome"));
    getRow(
        out,
        "with kevo-min-sequence",
        r.ryw(),
        String.format(
            Locale.ROOT,
            "%d UNAVAILABLE, %d stale; replicas waited %d times, timed out %d",
            r.unavailable(),
            r.stale(),
            r.replicaCounters().getOrDefault("read_waits", 0L),
            r.replicaCounters().getOrDefault("read_wait_timeouts", 0L)));
    getRow(
        out,
        "plain",
        r.plain(),
        String.format(
            Locale.ROOT,
            "%d did not see the put yet (%.2f%%)",
            r.missed(),
            100.0 * r.missed() / Math.max(1, r.plain().count())));
    getRow(out, "put before it (primary)", r.put(), "");
    return out.toString();
  }

  private static void getRow(StringBuilder out, String label, LatencyHistogram h, String outcome) {
    out.append(
        String.format(
            Locale.ROOT,
            "  %-28s %8d %9.1f %9.1f %9.1f %9.1f  %s%n",
            label,
            h.count(),
            h.percentile(50) / 1e3,
            h.percentile(99) / 1e3,
            h.percentile(99.9) / 1e3,
            h.max() / 1e3,
            outcome));
  }

  private String bootstrapText() {
    BootstrapResult b = bootstrap;
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Bootstrap: a primary holding %,d keys (%d-byte random values; loaded in %.1f s,"
                + " compacted in %.0f ms; last sequence %,d, log retained from %,d), then a"
                + " brand-new replica with an empty directory; ms from its process start:%n"
                + "  %-4s %8s %9s %10s %14s %10s %14s %6s%n",
            b.keys(),
            b.valueSize(),
            b.loadSeconds(),
            b.compactMs(),
            b.primaryLast(),
            b.firstRetained(),
            "run",
            "serving",
            "snapshot",
            "installed",
            "fetch+install",
            "caught up",
            "snapshot bytes",
            "boots"));
    for (BootstrapRun r : b.runs()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-4d %8.0f %9s %10s %14s %10.0f %14s %6d%n",
              r.run(),
              r.servingMs(),
              ms(r.headerMs()),
              ms(r.installedMs()),
              r.fetchInstallMs() == null ? "-" : Long.toString(r.fetchInstallMs()),
              r.caughtUpMs(),
              r.snapshotBytes() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%,d", r.snapshotBytes()),
              r.bootstraps()));
    }
    return out.toString();
  }

  private static String ms(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  private Map<String, Object> acksJson() {
    Map<String, Object> a = new LinkedHashMap<>();
    for (String side : sides()) {
      AckRun med = median(side);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("median", med == null ? null : med.toJson());
      row.put("over_standalone", Figures.roundOrNull(overStandalone(side), 4));
      row.put(
          "ops_per_sec_runs",
          runsOf(side).stream().map(r -> Figures.roundOrNull(r.opsPerSec(), 1)).toList());
      a.put(side, row);
    }
    a.put("runs", acks.stream().map(AckRun::toJson).toList());
    return a;
  }
}
