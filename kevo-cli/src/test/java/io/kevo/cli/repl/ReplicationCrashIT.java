package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.kevo.client.KevoClient;
import io.kevo.client.Op;
import io.kevo.wire.ReplicaSide;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL in the middle of the stream, of a replica and of the primary, each restarted on its own
 * directory (and port): the cluster converges by itself, nothing is applied twice or lost.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplicationCrashIT extends ClusterFixture {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  private static final Pattern STREAM_START =
      Pattern.compile("streaming from the primary at sequence (\\d+) \\(stream 1\\)");

  @Test
  void replicaKilledMidStreamResumesFromItsOwnPositionAndAppliesDeletesMadeWhileDown()
      throws Exception {
    ReplicationCluster.Node primary = cluster.startPrimary("primary");
    // INFO logging: the replica logs the sequence each stream starts from.
    ReplicationCluster.Node replica =
        cluster.startReplica("replica", primary.address(), List.of("-Dkevo.log.level=INFO"));
    try (KevoClient client = primary.client()) {
      for (int i = 0; i < 1_000; i++) {
        client.put(b(doomed(i)), b("on the replica before the crash"));
      }
      long before = primary.lastSequence();
      await().atMost(CONVERGENCE).until(() -> replica.lastSequence() == before);

      long killedAt;
      try (BackgroundWriter writer = new BackgroundWriter(client, "w", 100, false).start(2)) {
        await().atMost(CONVERGENCE).until(() -> replica.lastSequence() > before + 3_000);
        replica.kill();
        killedAt = primary.lastSequence();
        // While it is down: deletes of keys it has, and more puts.
        for (int i = 0; i < 500; i++) {
          client.delete(b(doomed(i)));
        }
        long down = primary.lastSequence();
        await().atMost(CONVERGENCE).until(() -> primary.lastSequence() > down + 2_000);

        replica.restart();
        // Writes go on while it catches up.
        long restarted = primary.lastSequence();
        await().atMost(CONVERGENCE).until(() -> primary.lastSequence() > restarted + 2_000);
      }
      long last = cluster.awaitConverged(CONVERGENCE, primary, replica);

      String log = replica.process().logText();
      List<Long> starts = streamStarts(log);
      assertThat(starts).as("streams numbered 1, one per run, in:\n%s", log).hasSize(2);
      long resumedFrom = starts.get(1);
      assertThat(resumedFrom)
          .as("resumed from its own log: past what it had before the writes, at most the kill")
          .isGreaterThan(before + 1)
          .isLessThanOrEqualTo(killedAt + 1);
      // Exactly the sequences after its own position were applied in this run: none twice.
      assertThat(replica.replicaFigure(ReplicaSide::entriesApplied))
          .isEqualTo(last - (resumedFrom - 1));
      assertThat(replica.replicaFigure(ReplicaSide::checksumFailures)).isZero();

      Map<String, ByteString> doomedOnReplica = replica.scanPrefix("doomed");
      assertThat(doomedOnReplica).hasSize(500);
      for (int i = 0; i < 1_000; i++) {
        assertThat(doomedOnReplica.containsKey(doomed(i))).as(doomed(i)).isEqualTo(i >= 500);
      }
      System.out.printf(
          "replica crash: killed at primary sequence %d, resumed from %d, converged at %d%n",
          killedAt, resumedFrom, last);
    }
  }

  @Test
  void primaryKilledAndRestartedOnItsPortKeepsEverySyncedWriteOnEveryNode() throws Exception {
    // Default sync mode (batch): a put with sync=true is acknowledged once it is on disk.
    ReplicationCluster.Node primary = cluster.startPrimary("primary", List.of(), "--sync", "batch");
    ReplicationCluster.Node replica1 = cluster.startReplica("replica1", primary.address());
    ReplicationCluster.Node replica2 = cluster.startReplica("replica2", primary.address());
    int port = primary.port();

    Set<String> acknowledged;
    try (KevoClient client = primary.client()) {
      BackgroundWriter writer = new BackgroundWriter(client, "s", 64, true).start(4);
      try {
        await().atMost(CONVERGENCE).until(() -> writer.acknowledgedCount() >= 1_000);
        primary.kill();
      } finally {
        writer.stop();
      }
      acknowledged = writer.acknowledgedKeys();
      System.out.printf(
          "primary crash: %d synced puts acknowledged, %d failed around the kill%n",
          acknowledged.size(), writer.failures());
    }

    primary.restart();
    assertThat(primary.port()).isEqualTo(port);
    // The replicas come back by themselves; the restarted primary takes writes. (A new client:
    // the old one's channel may still be in gRPC's reconnect backoff, longer than its retries.)
    try (KevoClient client = primary.client()) {
      List<Op> after = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        after.add(Op.put(b("after:" + i), b("restart")));
      }
      client.batch(after, true);
    }
    long last = cluster.awaitConverged(CONVERGENCE, primary, replica1, replica2);

    for (ReplicationCluster.Node node : List.of(primary, replica1, replica2)) {
      Map<String, ByteString> synced = node.scanPrefix("s");
      assertThat(synced.keySet()).as("synced keys on %s", node.name).containsAll(acknowledged);
      for (String key : acknowledged) {
        assertThat(synced.get(key).toByteArray())
            .as("%s on %s", key, node.name)
            .isEqualTo(BackgroundWriter.valueOf(key, 64));
      }
      assertThat(node.scanPrefix("after:")).hasSize(500);
    }
    for (ReplicationCluster.Node r : List.of(replica1, replica2)) {
      assertThat(r.replicaFigure(ReplicaSide::reconnects))
          .as("reconnects of %s", r.name)
          .isPositive();
      assertThat(r.status().replica().orElseThrow().needsBootstrap()).hasValue(false);
    }
    System.out.printf("primary crash: converged at sequence %d%n", last);
  }

  private static List<Long> streamStarts(String log) {
    Matcher m = STREAM_START.matcher(log);
    return m.results().map(r -> Long.parseLong(r.group(1))).toList();
  }

  private static String doomed(int i) {
    return String.format("doomed%04d", i);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
