package io.kevo.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import io.kevo.chaos.history.ShardLayout;
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
 * The harness's sharded mode on real processes: two shards of two nodes of the packaged
 * distribution (the map split at {@code k010} of twenty keys), a ZooKeeper the harness runs, and a
 * short fixed-seed run of the shards' faults at {@code replica:1}: a split of a shard whose primary
 * is killed -9 while the split runs ({@code split-kill}, which starts the new shard's nodes), and a
 * whole shard cut off from ZooKeeper while the other serves ({@code shard-zk-cut}). Checked per
 * shard and across the merged history; every verdict must be valid, the split must have happened
 * (the final map has a third shard, whose nodes elected a primary), and while the cut lasted the
 * cut shard must have acknowledged no write once a session timeout had passed, the other shard
 * some. Output in {@code target/chaos-sharded} (history, verdict, timeline, the nodes' logs).
 *
 * <p>It runs the distribution's jar, which this module packages before its integration tests, as
 * {@link ChaosSmokeIT} does.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ShardedChaosIT {
  /**
   * Deals shard-zk-cut first (s2 black-holed from ZooKeeper for 6.5 s), then split-kill, whose kill
   * aims at the learning stage.
   */
  private static final long SEED = 20261210;

  @Test
  void aSplitThroughAKillAndAShardCutOffFromZooKeeperLeaveValidHistories() throws Exception {
    Path out = Path.of("target", "chaos-sharded");
    Files.createDirectories(out);
    ChaosOptions options =
        new ChaosOptions(
            2,
            List.of("split-kill", "shard-zk-cut"),
            Duration.ofSeconds(15),
            SEED,
            "replica:1",
            out,
            4,
            20,
            Duration.ofSeconds(3),
            // C1 only and one GC thread: each JVM starts in a third of the time on two cores,
            // and this run starts eight (six nodes, two restarts).
            List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            "batch",
            true,
            2);
    Judge.Outcome outcome = new Judge(options, KevoDistribution.locate()).runAndCheck(List.of());
    String summary = String.join("\n", outcome.summary());
    System.out.println(summary);

    History history = outcome.result().history();
    assertThat(outcome.verdict().status()).as(summary).isEqualTo(Status.VALID);
    assertThat(outcome.verdict().results())
        .extracting(CheckResult::checker)
        .as("a verdict per shard, one merged")
        .contains("shard s1", "shard s2", "shard s3", "merged");

    ShardLayout last = ShardLayout.last(history.faults()).orElseThrow();
    assertThat(last.version()).as(summary).isEqualTo(2);
    assertThat(last.shards()).containsExactly("s1", "s3", "s2");
    assertThat(history.finalStates())
        .filteredOn(s -> "s3".equals(ShardLayout.shardOfNode(s.node())))
        .extracting(NodeState::role)
        .as("the new shard's nodes at the end")
        .containsExactlyInAnyOrder("primary", "replica");

    List<Fault> faults = history.faults();
    assertThat(faults)
        .extracting(Fault::kind)
        .contains("split-kill", "shard-zk-cut")
        .doesNotContain("crash", "unrecoverable");
    assertThat(faults)
        .filteredOn(f -> f.kind().equals("split-kill"))
        .first()
        .extracting(Fault::detail)
        .asString()
        .contains("kill -9 of its primary s1n")
        .containsPattern("split (learning|fencing|fenced)\\)")
        .contains("split done");
    Fault cut = faults.stream().filter(f -> f.kind().equals("shard-zk-cut")).findFirst().get();
    long sessionLater = cut.startNanos() + ChaosCluster.SESSION_TIMEOUT.toNanos();
    assertThat(history.ops())
        .filteredOn(op -> op.outcome() == Outcome.OK && op.writes())
        .filteredOn(
            op -> op.completeNanos() >= sessionLater && op.completeNanos() <= cut.endNanos())
        .extracting(op -> ShardLayout.shardOfNode(op.node()))
        .as("writes acknowledged during the cut, a session timeout after it began")
        .isNotEmpty()
        .doesNotContain(cut.target());
    assertThat(history.ops())
        .filteredOn(op -> op.outcome() == Outcome.OK && op.writes())
        .extracting(Op::node)
        .as("acknowledged writes on every shard, the new one included")
        .anyMatch(n -> n.startsWith("s1n"))
        .anyMatch(n -> n.startsWith("s2n"))
        .anyMatch(n -> n.startsWith("s3n"));
  }
}
