package io.kevo.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import io.kevo.wire.AckLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledgement levels, write results and session (read-your-writes) mode through the client,
 * against a real primary and a real replica in this JVM. The replica is made to lag by stopping its
 * replication while it keeps serving reads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsistencyClientTest {
  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private KevoServer primary;
  private KevoServer replica;

  @BeforeEach
  void start() {
    primary =
        node(
            "p",
            ServerOptions.builder()
                .role(NodeRole.PRIMARY)
                .replicationAckTimeout(Duration.ofSeconds(2)));
    replica =
        node(
            "r",
            ServerOptions.builder()
                .role(NodeRole.REPLICA)
                .primaryAddress(primary.address())
                .readWaitTimeout(Duration.ofMillis(200)));
    await().atMost(Duration.ofSeconds(20)).until(() -> primary.primary().connectedReplicas() == 1);
  }

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private KevoServer node(String name, ServerOptions.Builder o) {
    KevoDB db = KevoDB.open(dir.resolve(name), Options.builder().holdWalAtOpen(true).build());
    KevoServer s = KevoServer.start(db, o.listen("127.0.0.1", 0).build());
    toClose.add(s);
    return s;
  }

  private KevoClient client(boolean session) {
    KevoClient c =
        KevoClient.connect(
            ClientOptions.builder()
                .endpoint(primary.address())
                .readPreference(ReadPreference.REPLICA_PREFERRED)
                .topologyRefreshInterval(Duration.ZERO)
                .sessionConsistency(session)
                .build());
    toClose.add(c);
    Topology t = c.refreshTopology();
    assertThat(t.replicas()).hasSize(1); // reads prefer the replica
    return c;
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void writesReturnTheirIncreasingCommitSequenceAndWaitAtTheLevelAsked() {
    KevoClient c = client(false);
    WriteResult put = c.put(b("a"), b("1"), WriteSpec.ack(AckLevel.replica(1)));
    assertThat(put.sequence()).isEqualTo(primary.db().latestSequence());
    assertThat(put.epoch()).isEqualTo(1); // the primary's first term
    assertThat(replica.replica().status().durableSequence()).isGreaterThanOrEqualTo(put.sequence());
    WriteResult del = c.delete(b("a"), WriteSpec.ack(AckLevel.ALL));
    assertThat(del.sequence()).isGreaterThan(put.sequence());
    WriteResult batch =
        c.batchAsync(
                List.of(Op.put(b("x"), b("1")), Op.put(b("y"), b("2"))),
                WriteSpec.ack(AckLevel.replica(1)))
            .join();
    assertThat(batch.sequence()).isEqualTo(del.sequence() + 2);
    assertThat(replica.db().latestSequence()).isGreaterThanOrEqualTo(batch.sequence());
    try (ClientTransaction tx = c.beginTransaction(false)) {
      tx.put(b("t"), b("1"));
      WriteResult commit = tx.commit(WriteSpec.ack(AckLevel.replica(1)));
      assertThat(commit.sequence()).isEqualTo(batch.sequence() + 1);
      assertThat(replica.db().get(b("t"))).isPresent();
    }
    assertThat(c.sessionSequence()).isEqualTo(primary.db().latestSequence());
  }

  @Test
  void anUnmetLevelIsAReplicationTimeoutAndTheWriteStaysCommitted() {
    KevoClient c =
        KevoClient.connect(
            ClientOptions.builder()
                .endpoint(primary.address())
                .ackLevel(AckLevel.replica(1))
                .build());
    toClose.add(c);
    replica.replica().stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> primary.primary().connectedReplicas() == 0);
    assertThatThrownBy(() -> c.put(b("k"), b("v")))
        .isInstanceOfSatisfying(
            ReplicationTimeoutException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
              assertThat(e.sequence()).isEqualTo(primary.db().latestSequence());
              assertThat(e.acknowledgedReplicas()).isZero();
              assertThat(e.serverMessage()).contains("not confirmed by 1 replica(s)");
            });
    assertThat(c.sessionSequence()).isEqualTo(primary.db().latestSequence());
    assertThat(primary.db().get(b("k"))).isPresent();
    // The async form and a transaction commit report it the same way; the commit is COMMITTED.
    assertThatThrownBy(() -> c.deleteAsync(b("k"), WriteSpec.DEFAULT).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ReplicationTimeoutException.class);
    ClientTransaction tx = c.beginTransaction(false);
    tx.put(b("t"), b("1"));
    assertThatThrownBy(tx::commit).isInstanceOf(ReplicationTimeoutException.class);
    assertThat(tx.state()).isEqualTo(ClientTransaction.State.COMMITTED);
    // Asking async for one write overrides the client default.
    assertThat(c.put(b("k2"), b("v"), WriteSpec.ack(AckLevel.ASYNC)).sequence())
        .isEqualTo(primary.db().latestSequence());
  }

  @Test
  void sessionReadsSeeTheirOwnWritesThroughALaggingReplica() {
    KevoClient session = client(true);
    KevoClient plain = client(false);
    session.put(b("k"), b("old"));
    await().atMost(Duration.ofSeconds(10)).until(() -> replica.db().get(b("k")).isPresent());
    assertThat(plain.get(b("k"))).isPresent(); // its first call has read the topology
    replica.replica().stop(); // still serves reads, no longer follows
    for (int i = 0; i < 5; i++) {
      byte[] want = b("new" + i);
      session.put(b("k"), want);
      // The replica refuses (behind the session) and the read goes to the primary.
      assertThat(session.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(want));
      assertThat(session.getAsync(b("k")).join())
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(want));
      try (KevoScan scan = session.scan(ScanSpec.prefix(b("k")))) {
        assertThat(scan.next().value()).isEqualTo(want);
      }
      try (ClientTransaction ro = session.beginTransaction(true)) {
        assertThat(ro.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(want));
      }
    }
    // Without a session the replica answers with what it has; it was never marked down.
    assertThat(plain.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("old")));
    assertThat(session.topology().replicas()).hasSize(1);
    assertThat(replica.db().latestSequence()).isLessThan(session.sessionSequence());
  }

  @Test
  void defaultOptionsReadOwnWritesAndSoDoesTheOneLineReplicaPreference() {
    KevoClient byDefault = KevoClient.connect(ClientOptions.forEndpoint(primary.address()));
    toClose.add(byDefault);
    KevoClient onReplicas =
        KevoClient.connect(
            ClientOptions.builder()
                .endpoint(primary.address())
                .readPreference(ReadPreference.REPLICA_PREFERRED)
                .build());
    toClose.add(onReplicas);
    onReplicas.put(b("warm"), b("1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> replica.db().get(b("warm")).isPresent());
    assertThat(onReplicas.get(b("warm"))).isPresent(); // served by the replica, which has it
    assertThat(onReplicas.topology().replicas()).hasSize(1);
    replica.replica().stop(); // still serves reads, no longer follows
    for (int i = 0; i < 10; i++) {
      byte[] want = b("v" + i);
      byDefault.put(b("d"), want);
      assertThat(byDefault.get(b("d"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(want));
      onReplicas.put(b("r"), want);
      assertThat(onReplicas.get(b("r"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(want));
    }
    // The replica never got them: only the session sent those reads on to the primary.
    assertThat(replica.db().get(b("r"))).isEmpty();
  }
}
