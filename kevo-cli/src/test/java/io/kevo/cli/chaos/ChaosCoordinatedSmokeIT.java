package io.kevo.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.Status;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import io.kevo.chaos.run.ChaosOptions;
import io.kevo.chaos.run.ChaosRun;
import io.kevo.chaos.run.Judge;
import io.kevo.testkit.KevoDistribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness's coordinated mode on every change: three real nodes of the packaged distribution
 * that elect their primary through a ZooKeeper the harness runs, a short fixed-seed run of the
 * coordinator's faults (ZooKeeper restarted, a node cut off from it, a session expired) and of kill
 * -9, which the cluster must fail over by itself, at {@code replica:1}, checked. Its output
 * directory ({@code target/chaos-coordinated-smoke}) holds the history, the verdict, the timeline
 * and the nodes' logs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChaosCoordinatedSmokeIT {
  private static final long SEED = 20261217;
  private static final List<String> NEMESES =
      List.of("kill", "zk-restart", "zk-cut", "session-expire");

  @Test
  void theCoordinatorsFaultsAndAutomaticFailoversLeaveAValidHistory() throws Exception {
    Path out = Path.of("target", "chaos-coordinated-smoke");
    Files.createDirectories(out);
    ChaosOptions options =
        new ChaosOptions(
            3,
            NEMESES,
            Duration.ofSeconds(45),
            SEED,
            "replica:1",
            out,
            6,
            20,
            Duration.ofSeconds(3),
            List.of("-Xmx384m"),
            "batch",
            true);
    Judge.Outcome outcome = new Judge(options, KevoDistribution.locate()).runAndCheck(List.of());
    String summary = String.join("\n", outcome.summary());
    System.out.println(summary);

    assertThat(outcome.verdict().status()).as(summary).isEqualTo(Status.VALID);
    List<Fault> faults = outcome.result().history().faults();
    assertThat(faults)
        .extracting(Fault::kind)
        .as("every nemesis ran once, and no node exited by itself")
        .containsAll(NEMESES)
        .doesNotContain("crash", "unrecoverable");
    assertThat(faults.stream().filter(f -> f.kind().equals(ChaosRun.ELECTED)).count())
        .as("the first election and at least one automatic failover")
        .isGreaterThanOrEqualTo(2);
    List<Op> ops = outcome.result().history().ops();
    assertThat(ops.stream().filter(op -> op.outcome() == Outcome.OK).count())
        .as("operations that succeeded")
        .isGreaterThan(500);
    assertThat(
            ops.stream()
                .filter(op -> op.outcome() == Outcome.OK && op.writes())
                .map(Op::epoch)
                .distinct())
        .as("writes acknowledged in more than one epoch")
        .hasSizeGreaterThan(1);
  }
}
