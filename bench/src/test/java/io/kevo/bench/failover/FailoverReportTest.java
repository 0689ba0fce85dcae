package io.kevo.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverReportTest {
  private static final long MS = 1_000_000;
  private static final long WALL = 1_800_000_000_000L;

  private static FailoverParams params(int rounds) {
    return new FailoverParams(
        rounds,
        3,
        16,
        100,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofSeconds(90),
        "1g",
        List.of());
  }

  /** Round {@code r}: epoch r killed at r * 100 s, writes back {@code gapMs} later. */
  private static RoundObservation seen(int r) {
    return new RoundObservation(
        r,
        "n" + r,
        "n" + (r + 1),
        r,
        r + 1,
        r * 100_000 * MS,
        WALL + r * 100_000L,
        0,
        60,
        4_100,
        5_000,
        9_000);
  }

  private static FailoverOutcome outcome(long[] gapsMs, String error, ReadBack.Result readBack) {
    int n = gapsMs.length;
    long[] times = new long[2 * n];
    long[] epochs = new long[2 * n];
    for (int i = 0; i < n; i++) {
      int r = i + 1;
      times[2 * i] = r * 100_000 * MS - 2 * MS;
      epochs[2 * i] = r;
      times[2 * i + 1] = r * 100_000 * MS - 2 * MS + gapsMs[i] * MS;
      epochs[2 * i + 1] = r + 1;
    }
    AckTimeline timeline = AckTimeline.of(times, epochs);
    List<RoundResult> rounds = new ArrayList<>();
    for (int r = 1; r <= n; r++) {
      long kill = WALL + r * 100_000L;
      rounds.add(
          RoundResult.of(
              seen(r),
              timeline,
              List.of(
                  new NodeLog.Event(kill + 4_700, "bidding for the leadership: n" + (r + 1)),
                  new NodeLog.Event(kill + 4_950, "primary of epoch " + (r + 1)))));
    }
    return new FailoverOutcome(
        rounds,
        error,
        11_000,
        12_345,
        Map.of("UNAVAILABLE", 400L),
        readBack,
        "n3",
        Map.of("n1", 10.0, "bench", 20.0),
        60,
        null,
        null);
  }

  private static FailoverOutcome withSwitchover(FailoverOutcome o, double pauseMs) {
    return new FailoverOutcome(
        o.rounds(),
        o.error(),
        o.firstElectionMs(),
        o.acknowledged(),
        o.failures(),
        o.readBack(),
        o.finalPrimary(),
        o.cpuSeconds(),
        o.wallSeconds(),
        new SwitchoverDriver.Observation("n3", "n1", 4, 5, 0, 700),
        pauseMs);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(BenchReport report) {
    return (Map<String, Object>) Json.parse(Json.pretty(report.json()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> bar(Map<String, Object> root, String id) {
    return ((List<Map<String, Object>>) root.get("bars"))
        .stream().filter(b -> id.equals(b.get("id"))).findFirst().orElseThrow();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theJsonHasEveryRoundTheSummariesAndTheBarsWithSwitchoverNotMeasured() {
    FailoverParams p = params(3);
    FailoverOutcome o =
        outcome(
            new long[] {5_200, 4_000, 5_600},
            null,
            new ReadBack.Result(12_400, 12_345, 0, List.of()));
    o = withSwitchover(o, 420);

    BenchReport report =
        FailoverReport.build(
            p, o, "./kevo-bench failover", FailoverCommand.config(p, Path.of("w"), 1.5));
    Map<String, Object> root = json(report);

    assertThat(root.get("benchmark")).isEqualTo("failover");
    assertThat((Map<String, Object>) root.get("results"))
        .containsOnlyKeys(
            "rounds", "unavailability", "election", "profile", "writes", "cpu", "switchover");
    Map<String, Object> results = (Map<String, Object>) root.get("results");
    List<Map<String, Object>> rounds = (List<Map<String, Object>>) results.get("rounds");
    assertThat(rounds).hasSize(3);
    assertThat(rounds.get(0))
        .containsEntry("killed", "n1")
        .containsEntry("new_primary", "n2")
        .containsEntry("unavailable_ms", 5_200.0)
        .containsEntry("kill_to_first_ack_ms", 5_198.0)
        .containsEntry("bid_logged_ms", 4_700.0)
        .containsEntry("primary_logged_ms", 4_950.0);
    assertThat((Map<String, Object>) rounds.get(0).get("phases_ms"))
        .containsEntry("session_expiry", 4_100.0)
        .containsEntry("grace_and_choice", 600.0)
        .containsEntry("takeover", 250.0)
        .containsEntry("client_rediscovery", 248.0);
    Map<String, Object> unavailability = (Map<String, Object>) results.get("unavailability");
    assertThat(unavailability)
        .containsEntry("p50_ms", 5_200.0)
        .containsEntry("max_ms", 5_600.0)
        .containsEntry("rounds_measured", 3L);
    assertThat((Map<String, Object>) results.get("writes"))
        .containsEntry("lost", 0L)
        .containsEntry("acknowledged", 12_345L);
    assertThat((Map<String, Object>) results.get("switchover"))
        .containsEntry("measured", true)
        .containsEntry("pause_ms", 420.0)
        .containsEntry("from", "n3")
        .containsEntry("to", "n1")
        .containsEntry("epoch", 5L);

    assertThat(bar(root, "acknowledged_writes_lost")).containsEntry("met", true);
    assertThat(bar(root, "unavailability_p50"))
        .containsEntry("value", 5_200.0)
        .containsEntry("met", false);
    assertThat(bar(root, "unavailability_max")).containsEntry("met", true);
    assertThat(bar(root, "switchover_pause"))
        .containsEntry("met", true)
        .containsEntry("value", 420.0);
    assertThat(root.get("bars_met")).as("p50 not met").isEqualTo(false);
    assertThat(report.text())
        .contains("write unavailability p50 (<= 3,000.00 ms): 5,200.00 ms -> NOT MET")
        .contains("switchover n3 -> n1 (epoch 5): writes paused 420 ms");
  }

  @Test
  void anUnfinishedRunMissesTheUnavailabilityBarsWhateverTheFigures() {
    FailoverParams p = params(10);
    FailoverOutcome o = outcome(new long[] {1_000}, "round 2: no new primary", null);

    BenchReport report = FailoverReport.build(p, o, "cmd", Map.of());
    Map<String, Object> root = json(report);

    assertThat(bar(root, "unavailability_p50"))
        .containsEntry("met", false)
        .containsEntry("failure", "1 of 10 rounds measured");
    assertThat(bar(root, "acknowledged_writes_lost")).containsEntry("met", null);
    assertThat(bar(root, "switchover_pause")).containsEntry("met", null);
    assertThat(report.text())
        .contains("The run stopped early: round 2: no new primary")
        .contains("switchover: not measured (the run stopped early)");
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> ten = List.of(10.0, 1.0, 9.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0, 5.0);

    assertThat(FailoverReport.percentile(ten, 50)).isEqualTo(5.0);
    assertThat(FailoverReport.percentile(ten, 100)).isEqualTo(10.0);
    assertThat(FailoverReport.percentile(List.of(3.0), 50)).isEqualTo(3.0);
    assertThat(FailoverReport.percentile(List.of(), 50)).isNull();
  }
}
