package io.kevo.replication.replica;

import static io.kevo.replication.wire.ReplicaEntries.b;
import static io.kevo.replication.wire.ReplicaEntries.batch;
import static io.kevo.replication.wire.ReplicaEntries.corrupt;
import static io.kevo.replication.wire.ReplicaEntries.put;
import static io.kevo.replication.wire.ReplicaEntries.singles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kevo.proto.replication.WALEntry;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.wire.ReplicaEntries;
import io.kevo.wire.WireMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplicaReconnectTest extends ReplicaFixture {
  private ReplicaOptions.Builder options() {
    return ReplicaOptions.builder()
        .ackInterval(Duration.ofMillis(2))
        .initialBackoff(Duration.ofMillis(20))
        .maxBackoff(Duration.ofMillis(200))
        .random(() -> new Random(7));
  }

  @Test
  void reconnectsFromItsPositionAfterThePrimaryDropsTheStream() {
    start(options());
    ReplicaFakePrimary.Stream s1 = primary.awaitStream();
    s1.send(singles(1, 3));
    awaitApplied(3);
    s1.fail(Status.UNAVAILABLE.withDescription("primary restarting"), null);

    ReplicaFakePrimary.Stream s2 = primary.awaitStream();
    assertThat(s2.request.getStartSequence()).isEqualTo(4);
    assertThat(s2.sessionId).isNotEqualTo(s1.sessionId);
    s2.send(singles(4, 5));
    awaitApplied(5);
    await().atMost(Duration.ofSeconds(5)).until(() -> replica.status().ackedSequence() == 5);
    assertThat(primary.acks.get(primary.acks.size() - 1))
        .isEqualTo(new ReplicaFakePrimary.Received(5, s2.sessionId));
    ReplicaStatus st = replica.status();
    assertThat(st.reconnects()).isEqualTo(1);
    assertThat(st.lastError()).contains("UNAVAILABLE").contains("primary restarting");
    assertThat(st.sessionId()).isEqualTo(s2.sessionId);

    s2.complete(); // a clean end of stream is also reconnected
    ReplicaFakePrimary.Stream s3 = primary.awaitStream();
    assertThat(s3.request.getStartSequence()).isEqualTo(6);
    assertThat(replica.status().reconnects()).isEqualTo(2);
  }

  @Test
  void anAckThatTimesOutReplacesTheStreamBeforeTheIdleTimeout() {
    // A black hole after messages were buffered: each buffered message resets the idle timeout,
    // so it is the ack (which cannot reach the primary) that must tell.
    start(options().idleTimeout(Duration.ofSeconds(30)).rpcTimeout(Duration.ofMillis(300)));
    ReplicaFakePrimary.Stream s1 = primary.awaitStream();
    CountDownLatch gate = new CountDownLatch(1);
    primary.ackGate = gate;
    try {
      s1.send(singles(1, 1));
      ReplicaFakePrimary.Stream s2 = primary.awaitStream();
      assertThat(TimeUnit.NANOSECONDS.toMillis(s2.openedNanos - s1.openedNanos)).isLessThan(10_000);
      assertThat(s2.request.getStartSequence()).isEqualTo(2);
      assertThat(replica.status().lastError())
          .contains("DEADLINE_EXCEEDED")
          .contains("unreachable");
      assertThat(replica.status().reconnects()).isEqualTo(1);
    } finally {
      gate.countDown();
    }
  }

  @Test
  void aSilentPrimaryIsDetectedByTheIdleTimeoutAndReplaced() {
    start(options().idleTimeout(Duration.ofMillis(300)));
    ReplicaFakePrimary.Stream s1 = primary.awaitStream();
    s1.send(singles(1, 1));
    awaitApplied(1);
    // Then nothing at all, not even heartbeats: a black hole.
    ReplicaFakePrimary.Stream s2 = primary.awaitStream();
    long silentMillis = TimeUnit.NANOSECONDS.toMillis(s2.openedNanos - s1.openedNanos);
    assertThat(silentMillis).isGreaterThanOrEqualTo(300);
    assertThat(s2.request.getStartSequence()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(5)).until(s1::cancelled);
    assertThat(replica.status().lastError()).contains("idle timeout");
    assertThat(replica.status().reconnects()).isEqualTo(1);

    // Heartbeats keep a stream alive past the idle timeout.
    await()
        .during(Duration.ofMillis(900))
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              s2.send(ReplicaEntries.heartbeat(1));
              return primary.streams.isEmpty();
            });
    assertThat(replica.status().reconnects()).isEqualTo(1);
  }

  @Test
  void withBootstrapDisabledPositionNotRetainedPutsTheReplicaInErrorAskingForABootstrap() {
    primary.refusal =
        r ->
            Status.OUT_OF_RANGE
                .withDescription("position not retained")
                .asRuntimeException(
                    ReplicaFakePrimary.trailers(
                        "POSITION_NOT_RETAINED", WireMetadata.FIRST_RETAINED, "500"));
    start(options().bootstrap(false));
    await().atMost(Duration.ofSeconds(10)).until(() -> primary.requests.size() >= 3);
    ReplicaStatus st = replica.status();
    assertThat(st.refusal()).isEqualTo(ReplicationException.Reason.POSITION_NOT_RETAINED);
    assertThat(st.needsBootstrap()).isTrue();
    assertThat(st.lastError()).contains("bootstrap").contains("500");
    assertThat(st.state()).isIn(ReplicaState.ERROR, ReplicaState.CONNECTING);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> replica.getCurrentState() == ReplicaState.ERROR);

    // Retrying at the maximum backoff; once the primary serves the position again, it recovers.
    primary.refusal = r -> null;
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 1));
    awaitApplied(1);
    assertThat(replica.status().refusal()).isNull();
  }

  @Test
  void aheadOfPrimaryIsAnErrorThatKeepsLocalData() {
    db.applyReplicated(
        new io.kevo.engine.WalRecord(List.of(put(1, "local", "kept")), false),
        io.kevo.engine.WriteOptions.DEFAULT);
    // The local entry is of the primary's own term: the primary lost it (no divergence between
    // terms for the replica to resolve by discarding).
    primary.epochs.store(db.directory().resolve(ReplicaIdentity.DIRECTORY));
    primary.refusal =
        r ->
            Status.OUT_OF_RANGE.asRuntimeException(
                ReplicaFakePrimary.trailers("AHEAD_OF_PRIMARY", WireMetadata.NEXT_SEQUENCE, "1"));
    start(options());
    await().atMost(Duration.ofSeconds(10)).until(() -> primary.requests.size() >= 2);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> replica.getCurrentState() == ReplicaState.ERROR);
    ReplicaStatus st = replica.status();
    assertThat(st.refusal()).isEqualTo(ReplicationException.Reason.AHEAD_OF_PRIMARY);
    assertThat(st.lastError()).contains("ahead of the primary").contains("local data is kept");
    assertThat(primary.requests).allSatisfy(r -> assertThat(r.getStartSequence()).isEqualTo(2));
    assertThat(db.get(b("local"))).isPresent();
    assertThat(db.wal().nextSequence()).isEqualTo(2);
  }

  @Test
  void aFullRunMakesOnlyLegalTransitionsThroughEveryState() {
    List<String> illegal = new CopyOnWriteArrayList<>();
    Set<ReplicaState> visited = EnumSet.of(ReplicaState.CONNECTING);
    List<ReplicaState[]> all = new CopyOnWriteArrayList<>();
    replica = new Replica(db, () -> primary.channel, options().build());
    replica
        .stateMachine()
        .addListener(
            (from, to, reason) -> {
              all.add(new ReplicaState[] {from, to});
              synchronized (visited) {
                visited.add(to);
              }
              if (!ReplicaStateMachine.isLegal(from, to)) {
                illegal.add(from + " → " + to);
              }
            });
    replica.start();
    ReplicaFakePrimary.Stream s1 = primary.awaitStream();
    s1.send(singles(1, 3));
    List<WALEntry> b = batch(List.of(put(4, "a", "1"), put(5, "b", "2")));
    s1.send(b.subList(0, 1));
    s1.send(b.subList(1, 2));
    s1.send(ReplicaEntries.heartbeat(5));
    awaitApplied(5);
    List<WALEntry> damaged = new ArrayList<>(singles(6, 6));
    damaged.set(0, corrupt(damaged.get(0)));
    s1.send(damaged);
    await().atMost(Duration.ofSeconds(5)).until(() -> !primary.nacks.isEmpty());
    s1.fail(Status.INTERNAL.withDescription("boom"), null);
    ReplicaFakePrimary.Stream s2 = primary.awaitStream();
    s2.send(singles(6, 8));
    awaitApplied(8);
    await().atMost(Duration.ofSeconds(5)).until(() -> replica.status().ackedSequence() == 8);
    replica.stop();

    assertThat(illegal).isEmpty();
    // Every state but BOOTSTRAPPING, which BootstrapTest drives against a real primary.
    assertThat(visited)
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(ReplicaState.values())
                .filter(st -> st != ReplicaState.BOOTSTRAPPING)
                .toArray(ReplicaState[]::new));
    assertThat(replica.stateMachine().transitionCount()).isEqualTo(all.size());
    // Every step's from is the previous step's to: the listener saw one consistent path.
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i)[0]).isEqualTo(all.get(i - 1)[1]);
    }
  }
}
