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

  @Test
  void theShardsFaultsAskForAShardedClusterWhichRunsNeitherOneGroupNemesis() {
    assertThat(Nemeses.named(List.of("split-kill", "shard-zk-cut")))
        .extracting(Nemesis::kind)
        .containsExactly("split-kill", "shard-zk-cut");
    assertThat(Nemeses.needCoordinator(List.of("split-kill"))).isTrue();
    Nemeses.checkMode(
        List.of(
            "kill",
            "pause",
            "partition",
            "slow",
            "zk-restart",
            "zk-cut",
            "session-expire",
            "split-kill",
            "shard-zk-cut"),
        true,
        true);
    assertThatThrownBy(() -> Nemeses.checkMode(List.of("shard-zk-cut"), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'shard-zk-cut'")
        .hasMessageContaining("--shards");
    assertThatThrownBy(() -> Nemeses.checkMode(List.of("large-writes"), true, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'large-writes'")
        .hasMessageContaining("not with --shards");
  }

  @Test
  void shardedRunOptionsSplitTheKeysEvenlyAndRefuseWhatTheyCannotJudge() {
    ChaosOptions two = sharded(2, 20, "replica:1", true);
    assertThat(two.sharded()).isTrue();
    assertThat(two.splitAt()).containsExactly("k010");
    assertThat(sharded(3, 20, "all", true).splitAt()).containsExactly("k006", "k013");
    assertThat(sharded(1, 20, "all", true).splitAt()).isEmpty();
    assertThat(options(List.of("kill"), true).splitAt()).isEmpty();
    assertThat(options(List.of("kill"), true).sharded()).isFalse();
    assertThatThrownBy(() -> sharded(2, 20, "async", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--ack replica:N or all");
    assertThatThrownBy(() -> sharded(2, 20, "replica:1", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--failover auto");
    assertThatThrownBy(() -> sharded(3, 5, "replica:1", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 6 keys");
    assertThatThrownBy(() -> sharded(10, 40, "replica:1", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..9");
  }

  private static ChaosOptions sharded(int shards, int keys, String ack, boolean coordinated) {
    return new ChaosOptions(
        2,
        List.of("split-kill", "shard-zk-cut"),
        Duration.ofSeconds(1),
        1,
        ack,
        Path.of("out"),
        1,
        keys,
        Duration.ofSeconds(1),
        List.of(),
        "batch",
        coordinated,
        shards);
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
