package io.kevo.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageSizeTest {
  @TempDir Path dir;

  @Test
  void aThirtyMinuteRunOfHalfAMillionOperationsWithLongOutagesStaysUnderTenMegabytes()
      throws Exception {
    // Three long windows in which every call to a node fails or times out: about 80,000 failures,
    // far past the cap on drawn failures.
    History h =
        SyntheticRun.generate(
            11,
            500_000,
            1_800,
            List.of(
                SyntheticRun.fault("kill", "n1", 100, 300, ""),
                SyntheticRun.fault("pause", "n2", 600, 900, ""),
                SyntheticRun.fault("kill", "n3", 1_200, 1_500, "")));
    Path file = dir.resolve("big.html");
    TimelinePage.write(file, new TimelineInput("big", "VALID", h, Set.of(1L, 2L), List.of()));

    assertThat(Files.size(file)).isLessThan(10_000_000L);
    assertThat(Files.readString(file)).contains("too many to draw them all");
  }
}
