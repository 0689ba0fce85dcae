package io.kevo.bench.shards;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.report.BenchReport;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardsReportTest {
  private static final ShardsParams PARAMS =
      new ShardsParams(
          List.of(1, 2),
          4,
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          100,
          3000,
          2,
          List.of("scaling", "split"),
          "1g",
          List.of());

  @Test
  @SuppressWarnings("unchecked")
  void aRunThatStoppedSaysWhyInItsTextAndItsJson() {
    String why =
        ShardsCommand.causes(
            new IllegalStateException(
                "a client call failed: boom",
                new UncheckedIOException(
                    "cannot delete x", new DirectoryNotEmptyException("x/zookeeper"))));
    BenchReport r = ShardsReport.build(PARAMS, List.of(), null, why, "shards", Map.of());

    assertThat(why)
        .isEqualTo(
            "java.lang.IllegalStateException: a client call failed: boom"
                + " <- caused by java.io.UncheckedIOException: cannot delete x"
                + " <- caused by java.nio.file.DirectoryNotEmptyException: x/zookeeper");
    assertThat(r.text()).contains("the run stopped: " + why);
    assertThat((Map<String, Object>) r.json().get("results")).containsEntry("stopped", why);
    assertThat(r.barsMet()).isNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRunThatFinishedHasNoStoppedSection() {
    BenchReport r = ShardsReport.build(PARAMS, List.of(), null, null, "shards", Map.of());

    assertThat((Map<String, Object>) r.json().get("results")).doesNotContainKey("stopped");
  }
}
