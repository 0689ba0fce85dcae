package io.kevo.bench.failover;

import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The failover run's report: per round figures, write unavailability and election times (p50 and
 * max), where the time went, the read-back, each process's CPU, and the planned switchover's write
 * pause; with the bars. Stateless.
 */
final class FailoverReport {
  /** Bar: median write unavailability, ms. */
  static final double P50_BAR_MS = 3_000;

  /** Bar: worst write unavailability, ms. */
  static final double MAX_BAR_MS = 6_000;

  /** Bar: write pause of a planned switchover, ms. */
  static final double SWITCHOVER_BAR_MS = 1_000;

  private FailoverReport() {}

  static BenchReport build(
      FailoverParams p, FailoverOutcome o, String command, Map<String, Object> config) {
    List<Double> unavailable = measured(o.rounds(), RoundResult::unavailableMs);
    List<Double> elections = measured(o.rounds(), r -> r.seen().electedMs());
    Double p50 = percentile(unavailable, 50);
    Double max = percentile(unavailable, 100);
    boolean complete = o.error() == null && unavailable.size() == p.rounds();
    String incomplete = unavailable.size() + " of " + p.rounds() + " rounds measured";
    Long lost = o.readBack() == null ? null : o.readBack().lost();

    BenchReport.Builder b =
        BenchReport.of("failover", command, config)
            .title(
                String.format(
                    Locale.ROOT,
                    "Automatic failover: %d kill -9 rounds of the primary, %d nodes, %d writers at"
                        + " replica:1",
                    p.rounds(),
                    p.nodes(),
                    p.writers()))
            .section(
                "rounds",
                roundsTable(o.rounds()),
                o.rounds().stream().map(RoundResult::toJson).toList())
            .section(
                "unavailability",
                summaryLine("write unavailability", unavailable),
                summary(unavailable))
            .section(
                "election",
                summaryLine("election (kill to new primary in ZooKeeper)", elections),
                election(o, elections))
            .section("profile", profileText(o.rounds()), profile(o.rounds()))
            .section("writes", writesText(o), writes(o))
            .section("cpu", cpuText(o), cpu(o))
            .section("switchover", switchoverText(o), switchover(o))
            .bar(
                Bar.atMost(
                    "acknowledged_writes_lost",
                    "acknowledged writes lost",
                    "writes",
                    0,
                    lost == null ? null : lost.doubleValue()))
            .bar(
                Bar.atMost("unavailability_p50", "write unavailability p50", "ms", P50_BAR_MS, p50)
                    .unless(complete, incomplete))
            .bar(
                Bar.atMost("unavailability_max", "write unavailability max", "ms", MAX_BAR_MS, max)
                    .unless(complete, incomplete))
            .bar(
                Bar.atMost(
                    "switchover_pause",
                    "switchover write pause",
                    "ms",
                    SWITCHOVER_BAR_MS,
                    o.switchoverPauseMs()));
    if (o.error() != null) {
      b.note("The run stopped early: " + o.error());
    }
    b.note(
        "Unavailability: from the last write acknowledged in the killed primary's epoch to the"
            + " first acknowledged in a later one, over all writers; p50 is the nearest rank.");
    return b.build();
  }

  /** The values of {@code f} over the rounds that have one. */
  static List<Double> measured(List<RoundResult> rounds, Function<RoundResult, Double> f) {
    return rounds.stream().map(f).filter(Objects::nonNull).toList();
  }

  /** The nearest-rank percentile {@code q} (1..100) of {@code values}; null for none. */
  static Double percentile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(q / 100 * sorted.size());
    return sorted.get(Math.max(1, rank) - 1);
  }

  private static Map<String, Object> summary(List<Double> values) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rounds_measured", values.size());
    m.put("p50_ms", Figures.roundOrNull(percentile(values, 50), 1));
    m.put("max_ms", Figures.roundOrNull(percentile(values, 100), 1));
    m.put("min_ms", Figures.roundOrNull(values.stream().min(Double::compare).orElse(null), 1));
    m.put("per_round_ms", values.stream().map(v -> Figures.round(v, 1)).toList());
    return m;
  }

  private static String summaryLine(String what, List<Double> values) {
    if (values.isEmpty()) {
      return what + ": not measured";
    }
    return String.format(
        Locale.ROOT,
        "%s: p50 %,.0f ms, max %,.0f ms, min %,.0f ms (%d rounds)",
        what,
        percentile(values, 50),
        percentile(values, 100),
        values.stream().min(Double::compare).orElseThrow(),
        values.size());
  }

  private static Map<String, Object> election(FailoverOutcome o, List<Double> elections) {
    Map<String, Object> m = summary(elections);
    m.put("first_election_ms", Figures.round(o.firstElectionMs(), 0));
    return m;
  }

  private static String roundsTable(List<RoundResult> rounds) {
    Table t =
        new Table(
            "5>round",
            "6<killed",
            "7<new|primary",
            "11>unavailable|ms",
            "11>kill to|1st ack ms",
            "10>session|expired ms",
            "9>bid|ms",
            "9>primary|ms",
            "9>elected|ms",
            "9>rejoin|s");
    for (RoundResult r : rounds) {
      RoundObservation s = r.seen();
      t.row(
          s.round(),
          s.killed(),
          s.newPrimary(),
          cell(r.unavailableMs()),
          cell(r.firstAckMs()),
          cell(s.sessionExpiredMs()),
          cell(r.bidMs()),
          cell(r.primaryMs()),
          cell(s.electedMs()),
          Figures.fixed(s.rejoinMs() / 1e3));
    }
    return t.toString();
  }

  private static String cell(Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%,.0f", ms);
  }

  /** The median of each phase over the rounds that have it, and every round's. */
  private static Map<String, Object> profile(List<RoundResult> rounds) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String phase : phaseNames(rounds)) {
      medians.put(
          phase,
          Figures.roundOrNull(percentile(measured(rounds, r -> r.phases().get(phase)), 50), 1));
    }
    m.put("p50_ms", medians);
    m.put(
        "definition",
        "ms; session_expiry: kill to the killed member's entry gone from ZooKeeper (polled every"
            + " 20 ms); grace_and_choice: to the winner's 'bidding for the leadership' log line;"
            + " takeover: to its 'primary of epoch' line; client_rediscovery: to the first"
            + " acknowledged write in the new epoch");
    return m;
  }

  private static List<String> phaseNames(List<RoundResult> rounds) {
    return rounds.isEmpty() ? List.of() : List.copyOf(rounds.get(0).phases().keySet());
  }

  private static String profileText(List<RoundResult> rounds) {
    if (rounds.isEmpty()) {
      return "";
    }
    StringBuilder s =
        new StringBuilder("where the time from the kill to the first ack went (p50):");
    for (String phase : phaseNames(rounds)) {
      Double v = percentile(measured(rounds, r -> r.phases().get(phase)), 50);
      s.append(' ').append(phase).append(' ').append(cell(v)).append(" ms,");
    }
    s.setLength(s.length() - 1);
    return s.toString();
  }

  private static Map<String, Object> writes(FailoverOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acknowledged", o.acknowledged());
    m.put("failed_by_code", o.failures());
    m.put("read_back_from", o.finalPrimary());
    ReadBack.Result r = o.readBack();
    m.put("keys_scanned", r == null ? null : r.scanned());
    m.put("acknowledged_checked", r == null ? null : r.acknowledged());
    m.put("lost", r == null ? null : r.lost());
    m.put("lost_sample", r == null ? List.of() : r.lostSample());
    return m;
  }

  private static String writesText(FailoverOutcome o) {
    ReadBack.Result r = o.readBack();
    return String.format(
        Locale.ROOT,
        "writes: %,d acknowledged, failed %s; read back from %s: %s",
        o.acknowledged(),
        o.failures(),
        o.finalPrimary() == null ? "-" : o.finalPrimary(),
        r == null
            ? "not done"
            : String.format(
                Locale.ROOT,
                "%,d keys scanned, %,d acknowledged lost%s",
                r.scanned(),
                r.lost(),
                r.lostSample().isEmpty() ? "" : " (e.g. " + r.lostSample() + ")"));
  }

  private static Map<String, Object> cpu(FailoverOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wall_s", Figures.round(o.wallSeconds(), 1));
    m.put("cpu_s", Figures.rounded(o.cpuSeconds(), 1));
    return m;
  }

  private static String cpuText(FailoverOutcome o) {
    StringBuilder s =
        new StringBuilder(String.format(Locale.ROOT, "CPU over the %.0f s run:", o.wallSeconds()));
    o.cpuSeconds().forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %.1f s,", k, v)));
    s.setLength(s.length() - 1);
    return s.toString();
  }

  private static Map<String, Object> switchover(FailoverOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    SwitchoverDriver.Observation s = o.switchover();
    m.put("measured", o.switchoverPauseMs() != null);
    m.put("pause_ms", o.switchoverPauseMs());
    m.put("from", s == null ? null : s.from());
    m.put("to", s == null ? null : s.to());
    m.put("epoch", s == null ? null : s.newEpoch());
    m.put("done_ms", s == null ? null : s.doneMs());
    return m;
  }

  private static String switchoverText(FailoverOutcome o) {
    SwitchoverDriver.Observation s = o.switchover();
    if (s == null || o.switchoverPauseMs() == null) {
      return "switchover: not measured" + (o.error() != null ? " (the run stopped early)" : "");
    }
    return String.format(
        Locale.ROOT,
        "switchover %s -> %s (epoch %d): writes paused %.0f ms, done %.0f ms after the request",
        s.from(),
        s.to(),
        s.newEpoch(),
        o.switchoverPauseMs(),
        s.doneMs());
  }
}
