package io.kevo.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.bench.BenchMain;
import io.kevo.chaos.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FailoverCommandTest {
  private static FailoverParams parse(String... args) {
    FailoverCommand cmd = new FailoverCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.params();
  }

  @Test
  void defaultsAreTheIssuesSetup() {
    FailoverParams p = parse();

    assertThat(p.rounds()).isEqualTo(10);
    assertThat(p.nodes()).isEqualTo(3);
    assertThat(p.writers()).isEqualTo(16);
    assertThat(p.minInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.heap()).isEqualTo("1g");
    assertThat(p.nodeJvmArgs("n1")).containsExactly("-Xmx1g", "-Dkevo.log.level=INFO");
  }

  @Test
  void optionsReachTheParametersAndTheNodesCommandLine() {
    FailoverParams p =
        parse(
            "--rounds",
            "1",
            "--writers",
            "4",
            "--failover-min-interval",
            "1500ms",
            "--steady",
            "1s",
            "--round-timeout",
            "2m",
            "--heap",
            "512m",
            "--jvm-arg",
            "-XX:StartFlightRecording=filename={node}.jfr");

    assertThat(p.rounds()).isEqualTo(1);
    assertThat(p.writers()).isEqualTo(4);
    assertThat(p.minInterval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(p.steady()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.nodeJvmArgs("n2"))
        .containsExactly(
            "-Xmx512m", "-Dkevo.log.level=INFO", "-XX:StartFlightRecording=filename=n2.jfr");
    assertThat(FailoverCluster.serverArgs("127.0.0.1:2181", "n2", p))
        .containsExactly(
            "--coordinator",
            "127.0.0.1:2181",
            "--cluster",
            "c1",
            "--node-id",
            "n2",
            "--replication-ack",
            "replica:1",
            "--failover-min-interval",
            "1500ms");
    assertThat(Durations.parse("7")).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void rejectsWhatCannotBeRun() {
    assertThat(BenchMain.execute("failover", "--rounds=0")).isNotZero();
    assertThat(BenchMain.execute("failover", "--nodes=1")).isNotZero();
    assertThat(BenchMain.execute("failover", "--writers=0")).isNotZero();
    assertThat(BenchMain.execute("failover", "--writers=100")).isNotZero();
    assertThat(BenchMain.execute("failover", "--value-size=0")).isNotZero();
    assertThat(BenchMain.execute("failover", "--failover-min-interval=soon")).isNotZero();
    assertThat(BenchMain.execute("failover", "--round-timeout=500ms")).isNotZero();
    assertThatThrownBy(() -> parse("--steady", "-1s")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void helpExitsZero() {
    assertThat(BenchMain.execute("failover", "--help")).isZero();
  }

  @Test
  void theConfigNamesTheDefaultsTheBarsAreJudgedWith() {
    Map<String, Object> c = FailoverCommand.config(parse(), Path.of("bench-work"), 2.5);

    assertThat(c)
        .containsEntry("coordinator_session_timeout_ms", 4_000)
        .containsEntry("failover_grace_ms", 500)
        .containsEntry("failover_min_interval_ms", 10_000L)
        .containsEntry("writers", 16)
        .containsEntry("node_jvm_args", List.of("-Xmx1g", "-Dkevo.log.level=INFO"))
        .containsEntry("load_average_1m_start", 2.5);
    assertThat((Double) c.get("load_average_1m_end")).isGreaterThanOrEqualTo(0.0);
  }
}
