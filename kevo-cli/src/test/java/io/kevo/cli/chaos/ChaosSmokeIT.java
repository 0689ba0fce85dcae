package io.kevo.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.LinearizabilityChecker;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import io.kevo.chaos.run.ChaosOptions;
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
 * The fault-injection harness on every change: a short run with a fixed seed of every nemesis
 * against three real nodes of the packaged distribution at ack level {@code replica:1}, checked. It
 * must find nothing: a failure here is either a bug in Kevo or in the harness, and its output
 * directory ({@code target/chaos-smoke}: history, verdict, timeline, the nodes' logs) says which.
 * Longer runs with other seeds: {@code ./kevo-bench chaos} (see docs/RELIABILITY.md).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ChaosSmokeIT {
  private static final long SEED = 20261206;

  @Test
  void aMinuteOfEveryFaultAtReplicaOneLeavesAValidHistory() throws Exception {
    Path out = Path.of("target", "chaos-smoke");
    Files.createDirectories(out);
    ChaosOptions options =
        new ChaosOptions(
            3,
            List.of("kill", "pause", "partition", "slow", "large-writes", "failover"),
            Duration.ofSeconds(60),
            SEED,
            "replica:1",
            out,
            6,
            20,
            Duration.ofSeconds(3),
            List.of("-Xmx512m"),
            "batch");
    Judge.Outcome outcome = new Judge(options, KevoDistribution.locate()).runAndCheck(List.of());
    String summary = String.join("\n", outcome.summary());
    System.out.println(summary);

    assertThat(outcome.verdict().status()).as(summary).isEqualTo(Status.VALID);
    List<Op> ops = outcome.result().history().ops();
    assertThat(ops.stream().filter(op -> op.outcome() == Outcome.OK).count())
        .as("operations that succeeded")
        .isGreaterThan(1_000);
    assertThat(outcome.result().history().faults())
        .extracting(Fault::kind)
        .isNotEmpty()
        .as("nodes that exited by themselves")
        .doesNotContain("crash");
    assertThat(out.resolve("timeline.html")).isRegularFile();
    assertThat(out.resolve("history.jsonl")).isRegularFile();

    // For the record: replica reads are not linearizable (nor promised to be); say whether this
    // run shows it.
    CheckResult replicaReadsAsIfLinearizable =
        new LinearizabilityChecker(CheckOptions.DEFAULT).check(ops, "with replica reads");
    System.out.println(
        "replica reads checked as if linearizable: " + replicaReadsAsIfLinearizable.summary());
  }
}
