package io.kevo.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.chaos.run.ChaosOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NemesesTest {
  @Test
  void theCoordinatorFaultsAreKnownByName() {
    assertThat(Nemeses.named(List.of("zk-restart", " zk-cut", "session-expire", "kill")))
        .extracting(Nemesis::kind)
        .containsExactly("zk-restart", "zk-cut", "session-expire", "kill");
    assertThat(Nemeses.names()).contains("zk-restart", "zk-cut", "session-expire", "failover");
  }

  @Test
  void aCoordinatorFaultAsksForTheCoordinatedMode() {
    assertThat(Nemeses.needCoordinator(List.of("kill", "pause"))).isFalse();
    assertThat(Nemeses.needCoordinator(List.of("kill", "zk-cut"))).isTrue();
    assertThat(Nemeses.needCoordinator(List.of("session-expire"))).isTrue();
    assertThat(Nemeses.needCoordinator(List.of())).isFalse();
  }

  @Test
  void theManualFailoverIsRefusedWithACoordinatorAndTheCoordinatorFaultsWithout() {
    Nemeses.checkMode(List.of("kill", "pause", "partition", "slow", "large-writes"), true);
    Nemeses.checkMode(List.of("kill", "pause", "partition", "slow", "failover"), false);
    assertThatThrownBy(() -> Nemeses.checkMode(List.of("kill", "failover"), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'failover'")
        .hasMessageContaining("--failover manual");
    assertThatThrownBy(() -> Nemeses.checkMode(List.of("zk-restart"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'zk-restart'")
        .hasMessageContaining("--failover auto");
  }

  @Test
  void runOptionsCheckTheModeOfTheirNemeses() {
    assertThatThrownBy(() -> options(List.of("zk-cut"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zk-cut");
    assertThatThrownBy(() -> options(List.of("failover"), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("failover");
    assertThat(options(List.of("kill", "zk-cut"), true).coordinated()).isTrue();
    ChaosOptions manual =
        new ChaosOptions(
            3,
            List.of("failover"),
            Duration.ofSeconds(1),
            1,
            "replica:1",
            Path.of("out"),
            1,
            1,
            Duration.ofSeconds(1),
            List.of(),
            "batch");
    assertThat(manual.coordinated()).as("the constructor without a mode").isFalse();
  }

  private static ChaosOptions options(List<String> nemeses, boolean coordinated) {
    return new ChaosOptions(
        3,
        nemeses,
        Duration.ofSeconds(1),
        1,
        "replica:1",
        Path.of("out"),
        1,
        1,
        Duration.ofSeconds(1),
        List.of(),
        "batch",
        coordinated);
  }
}
