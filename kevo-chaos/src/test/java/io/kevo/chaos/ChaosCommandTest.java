package io.kevo.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosCommandTest {
  @Test
  void theFailoverModeFollowsTheNemesesUnlessGiven() {
    assertThat(ChaosCommand.coordinated(null, List.of("kill", "pause"))).isFalse();
    assertThat(ChaosCommand.coordinated(null, List.of("kill", "zk-restart"))).isTrue();
    assertThat(ChaosCommand.coordinated("auto", List.of("kill"))).isTrue();
    assertThat(ChaosCommand.coordinated(" manual ", List.of("kill"))).isFalse();
    assertThatThrownBy(() -> ChaosCommand.coordinated("automatic", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto or manual");
  }

  @Test
  void theCommandLineTakesTheFailoverMode() {
    ChaosCommand c = new ChaosCommand();
    new picocli.CommandLine(c)
        .parseArgs("--failover", "auto", "--nemesis", "kill,zk-cut,session-expire");
    assertThat(c.failover).isEqualTo("auto");
    assertThat(c.nemeses).containsExactly("kill", "zk-cut", "session-expire");
    ChaosCommand d = new ChaosCommand();
    new picocli.CommandLine(d).parseArgs();
    assertThat(d.failover).as("decided from the nemeses").isNull();
  }

  @Test
  void aNemesisOfTheOtherModeIsAUsageErrorBeforeAnythingStarts() {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cl = new picocli.CommandLine(new ChaosCommand());
    cl.setErr(new java.io.PrintWriter(err));
    int status = cl.execute("--nemesis", "failover,zk-cut", "--out", "target/never-run");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("nemesis 'failover' promotes by hand").contains("Usage:");
    assertThat(java.nio.file.Path.of("target/never-run")).doesNotExist();
  }

  @Test
  void aShardedRunItCannotJudgeOrANemesisOfShardsWithoutThemIsAUsageError() {
    assertThat(usageError("--shards", "2", "--ack", "async", "--nemesis", "split-kill"))
        .contains("--shards needs --ack replica:N or all");
    assertThat(usageError("--shards", "2", "--failover", "manual", "--nemesis", "kill"))
        .contains("--shards needs --failover auto");
    assertThat(usageError("--nemesis", "split-kill,kill"))
        .contains("nemesis 'split-kill' acts on shards: it needs --shards N");
    assertThat(usageError("--shards", "2", "--nemesis", "large-writes"))
        .contains("nemesis 'large-writes' acts on the one primary of an unsharded cluster");
    assertThat(usageError("--shards", "4", "--keys", "6", "--nemesis", "shard-zk-cut"))
        .contains("--shards 4 needs at least 8 keys");
    assertThat(java.nio.file.Path.of("target/never-run")).doesNotExist();
  }

  private static String usageError(String... args) {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cl = new picocli.CommandLine(new ChaosCommand());
    cl.setErr(new java.io.PrintWriter(err));
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--out", "target/never-run"));
    assertThat(cl.execute(all.toArray(String[]::new))).as(err.toString()).isEqualTo(2);
    return err.toString();
  }
}
