package io.kevo.bench.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.report.LatencyHistogram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisibilityResultTest {
  private static VisibilityProbe.Result probe(String name, List<VisibilityProbe.Slow> slow) {
    LatencyHistogram ack = new LatencyHistogram();
    ack.record(2_000_000);
    slow.forEach(s -> ack.record(s.lagNanos()));
    return new VisibilityProbe.Result(name, ack, ack, new LatencyHistogram(), ack.count(), 0, slow);
  }

  @Test
  @SuppressWarnings("unchecked")
  void samplesOverTheBarAreListedWithTheirTimeInTheJsonAndPlacedInTheText() {
    long t0 = 1_796_000_000_000L;
    VisibilityProbe.Result r1 =
        probe(
            "replica1",
            List.of(
                new VisibilityProbe.Slow(t0 + 3_100, 3_100, 12_500_000),
                new VisibilityProbe.Slow(t0 + 3_900, 3_900, 10_000_000),
                new VisibilityProbe.Slow(t0 + 7_050, 7_050, 31_000_000)));
    VisibilityProbe.Result r2 = probe("replica2", List.of());
    VisibilityResult v =
        new VisibilityResult(
            10_000,
            0,
            9_990,
            10,
            400,
            900,
            5,
            List.of(r1, r2),
            Map.of(),
            Map.of(),
            null,
            new Cluster.Wire(0, 0, 0),
            1.0);

    List<Map<String, Object>> replicas = (List<Map<String, Object>>) v.toJson().get("replicas");
    List<Map<String, Object>> slow =
        (List<Map<String, Object>>) replicas.get(0).get("samples_over_10_ms");
    assertThat(slow).hasSize(3);
    assertThat(slow.get(2))
        .containsEntry("at", java.time.Instant.ofEpochMilli(t0 + 7_050).toString())
        .containsEntry("offset_s", 7.05)
        .containsEntry("lag_ms", 31.0);
    assertThat((List<?>) replicas.get(1).get("samples_over_10_ms")).isEmpty();

    StringBuilder text = new StringBuilder();
    Report.slowRow(text, r1);
    Report.slowRow(text, r2);
    assertThat(text.toString())
        .isEqualTo(
            "  replica1: 3 sample(s) of 10 ms or more, in second(s) [3, 7] of the window (the JSON"
                + " has each one's wall-clock time)\n");
  }
}
