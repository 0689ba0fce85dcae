package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kevo.client.KevoClient;
import io.kevo.client.ReplicationTimeoutException;
import io.kevo.client.WriteSpec;
import io.kevo.wire.AckLevel;
import io.kevo.wire.PrimarySide;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code replica} acknowledgement level across real processes: with the only replica stopped a
 * write fails with the distinct timeout error within the configured time (and is not rolled back);
 * with the replica running, every write acknowledged at {@code replica:1} is on the replica after
 * the primary is killed with SIGKILL mid-stream.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplicationAckIT extends ClusterFixture {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);

  private ReplicationCluster.Node primary() throws Exception {
    return cluster.startPrimary(
        "primary",
        java.util.List.of(),
        "--replication-ack",
        "replica:1",
        "--replication-ack-timeout",
        ACK_TIMEOUT.toMillis() + "ms");
  }

  private static KevoClient client(ReplicationCluster.Node primary) {
    return KevoClient.connect(primary.clientOptions().deadline(Duration.ofSeconds(10)).build());
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void withTheOnlyReplicaStoppedAReplicaLevelWriteTimesOutWithinTheConfiguredTime()
      throws Exception {
    ReplicationCluster.Node primary = primary();
    ReplicationCluster.Node replica = cluster.startReplica("replica", primary.address());
    try (KevoClient client = client(primary)) {
      await()
          .atMost(CONVERGENCE)
          .until(() -> primary.primaryFigure(PrimarySide::connectedReplicas) == 1);
      client.put(b("confirmed"), b("1")); // the server default, replica:1, is met
      assertThat(replica.get(b("confirmed"))).isPresent();

      replica.kill();
      await()
          .atMost(CONVERGENCE)
          .until(() -> primary.primaryFigure(PrimarySide::connectedReplicas) == 0);
      long before = primary.lastSequence();
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.put(b("unconfirmed"), b("2")))
          .isInstanceOfSatisfying(
              ReplicationTimeoutException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                assertThat(e.serverMessage())
                    // --sync none: "committed on the primary (in its log, not yet synced)"
                    .contains("on the primary")
                    .contains("but was not confirmed by 1 replica(s) within 1000 ms");
                assertThat(e.acknowledgedReplicas()).isZero();
              });
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf("replica:1 with the replica stopped failed after %d ms%n", ms);
      assertThat(ms).isBetween(ACK_TIMEOUT.toMillis() - 50, ACK_TIMEOUT.toMillis() + 2_000);
      // Never a silent downgrade, yet the write is committed on the primary (in its log)...
      assertThat(primary.lastSequence()).isEqualTo(before + 1);
      // ...though not shown to readers before a replica confirms it: a failover could lose it...
      assertThat(primary.get(b("unconfirmed"))).isEmpty();
      // ...and an explicit async write still returns at once.
      long asyncStart = System.nanoTime();
      client.put(b("async"), b("3"), WriteSpec.ack(AckLevel.ASYNC));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asyncStart)).isLessThan(900);

      // Back up, the replica gets both writes made while it was down.
      replica.restart();
      cluster.awaitConverged(CONVERGENCE, primary, replica);
      assertThat(replica.get(b("unconfirmed"))).isPresent();
      client.put(b("after"), b("4"));
      // ...and once one has, it is.
      assertThat(primary.get(b("unconfirmed"))).isPresent();
    }
  }

  @Test
  void noWriteAcknowledgedAtReplicaLevelIsMissingOnTheReplicaAfterThePrimaryIsKilled()
      throws Exception {
    ReplicationCluster.Node primary = primary();
    ReplicationCluster.Node replica = cluster.startReplica("replica", primary.address());
    Set<String> acknowledged;
    long failures;
    try (KevoClient client = client(primary)) {
      await()
          .atMost(CONVERGENCE)
          .until(() -> primary.primaryFigure(PrimarySide::connectedReplicas) == 1);
      BackgroundWriter writer = new BackgroundWriter(client, "acked", 200, false).start(4);
      try {
        await().atMost(CONVERGENCE).until(() -> writer.acknowledgedCount() > 3_000);
        primary.kill(); // SIGKILL while the writers are mid-call
      } finally {
        writer.stop();
      }
      acknowledged = writer.acknowledgedKeys();
      failures = writer.failures();
    }
    Map<String, ByteString> onReplica = replica.scanPrefix("acked");
    System.out.printf(
        "primary killed: %d writes acknowledged at replica:1, %d failed; replica holds %d%n",
        acknowledged.size(), failures, onReplica.size());
    assertThat(acknowledged).isNotEmpty();
    for (String key : acknowledged) {
      assertThat(onReplica.get(key))
          .as("acknowledged %s on the replica", key)
          .isEqualTo(ByteString.copyFrom(BackgroundWriter.valueOf(key, 200)));
    }
  }
}
