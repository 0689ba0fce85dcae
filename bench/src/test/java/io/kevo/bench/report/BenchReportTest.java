package io.kevo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  @Test
  void aBarHoldsOnItsSideOfTheThresholdAndIsNotJudgedWithoutAValue() {
    assertThat(Bar.atLeast("a", "a", "x", 1.0, 1.0).met()).isTrue();
    assertThat(Bar.atLeast("a", "a", "x", 1.0, 0.99).met()).isFalse();
    assertThat(Bar.atMost("b", "b", "ms", 10, 10.0).met()).isTrue();
    assertThat(Bar.atMost("b", "b", "ms", 10, 10.5).met()).isFalse();
    assertThat(Bar.atMost("b", "b", "ms", 10, null).met()).isNull();
    Bar failed = Bar.atMost("b", "lag", "ms", 10, 2.0).unless(false, "3 markers lost");
    assertThat(failed.met()).isFalse();
    assertThat(failed.line()).isEqualTo("lag (<= 10.00 ms): 2.00 ms -> NOT MET (3 markers lost)");
    assertThat(Bar.atLeast("c", "rate", "entries/s", 200_000, 250_000.0).line())
        .isEqualTo("rate (>= 200,000 entries/s): 250,000 entries/s -> MET");
  }

  @Test
  void everyReportHasTheSameShapeAndJudgesAllItsBars() {
    BenchReport report =
        BenchReport.of("demo", "./kevo-bench demo", Map.of("num", 5))
            .title("Demo: one section")
            .section("rows", "| a | 1 |\n", List.of(1, 2))
            .section("ratio", null, 0.5)
            .bar(Bar.atLeast("r", "ratio", "x", 0.4, 0.5))
            .bar(Bar.atMost("l", "lag", "ms", 10, 12.0))
            .note("how it was measured")
            .build();

    Map<String, Object> json = report.json();
    assertThat(json.keySet())
        .containsExactly(
            "benchmark", "date", "command", "machine", "config", "results", "bars", "bars_met");
    assertThat(json).containsEntry("bars_met", false);
    assertThat(map(json.get("results"))).containsEntry("ratio", 0.5);
    assertThat(map(((List<?>) json.get("bars")).get(1)))
        .containsEntry("id", "l")
        .containsEntry("comparison", "<=")
        .containsEntry("value", 12.0)
        .containsEntry("met", false);
    assertThat(report.text())
        .contains("Demo: one section")
        .contains("| a | 1 |")
        .contains("Bars:")
        .contains("ratio (>= 0.400x): 0.500x -> MET")
        .contains("lag (<= 10.00 ms): 12.00 ms -> NOT MET")
        .endsWith("how it was measured" + System.lineSeparator());
  }

  @Test
  void aBarNotMeasuredLeavesTheVerdictOpen() {
    BenchReport.Builder b = BenchReport.of("demo", "x", Map.of());
    assertThat(b.build().barsMet()).as("no bar").isNull();
    b.bar(Bar.atLeast("r", "ratio", "x", 1, 2.0)).bar(Bar.atLeast("s", "rate", "x", 1, null));
    assertThat(b.build().barsMet()).isNull();
    assertThat(b.build().text()).contains("rate (>= 1.000x): - -> n/a (not measured)");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
