package io.kevo.replication.primary;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.replication.AckResult;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.PrimaryStatus;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.TestNodes;
import io.kevo.replication.replica.Replica;
import io.kevo.wire.AckLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner (a node of another shard copying this shard's log for a split, {@link
 * ReplicaOptions#learner()}) with real {@link Primary} and {@link Replica} objects over in-process
 * gRPC: it applies and acknowledges what the primary sends, and the primary keeps the log for it
 * from there, but its acknowledgements meet no level ({@code replica:N}, {@code all}), never move
 * the confirmed sequence (so reads do not see a write only it holds) and it is not a connected
 * replica for {@code --min-replicas-to-write}. Each "not confirmed" is checked only after the
 * primary has recorded the learner's acknowledgement of the write.
 */
@Timeout(120)
class LearnerReplicaTest {
  private static final Options DB = Options.builder().syncMode(SyncMode.NONE).build();
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(300);

  @TempDir Path dir;

  private final List<AutoCloseable> closers = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  private KevoDB open(String name) {
    KevoDB db = KevoDB.open(dir.resolve(name), DB);
    closers.add(db::close);
    return db;
  }

  /** A primary at {@code replica:1}: its reads see only confirmed writes. */
  private Primary primary(KevoDB db) {
    Primary p = Primary.open(db, PrimaryOptions.builder().ackLevel(AckLevel.replica(1)).build());
    closers.add(p::close);
    return p;
  }

  private ManagedChannel serve(Primary p) throws Exception {
    return TestNodes.serveInProcess(p.bindableService(), closers);
  }

  private Replica follow(KevoDB db, ManagedChannel primary, String id, boolean learner) {
    Replica r =
        new Replica(
            db,
            () -> primary,
            ReplicaOptions.builder()
                .replicaId(id)
                .learner(learner)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .build());
    closers.add(r::stop);
    r.start();
    return r;
  }

  private static PrimaryStatus.Replica status(Primary p, String id) {
    return p.replicas().stream()
        .filter(r -> r.replicaId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the primary does not know replica " + id));
  }

  /** Waits until {@code r} applied {@code sequence} and the primary recorded its ack of it. */
  private static void awaitAcked(Primary p, Replica r, String id, long sequence) {
    await().atMost(CONVERGE).until(() -> r.status().lastAppliedSequence() >= sequence);
    await().atMost(CONVERGE).until(() -> status(p, id).lastAckedSequence() >= sequence);
  }

  @Test
  void aCaughtUpLearnerAloneConfirmsNoWriteAtAnyLevel() throws Exception {
    KevoDB x = open("x");
    Primary px = primary(x);
    ManagedChannel toX = serve(px);
    KevoDB l = open("learner");
    Replica learner = follow(l, toX, "learner", true);
    long w = x.put(b("k"), b("v"));
    awaitAcked(px, learner, "learner", w);

    assertThat(status(px, "learner").connected()).isTrue();
    assertThat(status(px, "learner").learner()).isTrue();
    AckResult one = px.awaitAcknowledged(w, AckLevel.replica(1), SHORT).get();
    assertThat(one.confirmed()).isFalse();
    assertThat(one.acknowledged()).isZero();
    AckResult all = px.awaitAcknowledged(w, AckLevel.ALL, SHORT).get();
    assertThat(all.confirmed())
        .as("'all' with no counted replica needs one, as replica:1")
        .isFalse();
    assertThat(all.acknowledged()).isZero();
    assertThat(px.confirmedSequence()).isZero();
    assertThat(px.connectedReplicas()).as("learners are not connected replicas").isZero();
    assertThat(px.status().activeSessions()).isEqualTo(1);
    // Reads see only confirmed writes: not one only the learner holds.
    assertThat(x.get(b("k"))).isEmpty();
    assertThat(l.get(b("k")).map(v -> new String(v, UTF_8))).hasValue("v");
  }

  @Test
  void replicaOneIsMetByTheReplicaAndReplicaTwoNotByTheLearner() throws Exception {
    KevoDB x = open("x");
    Primary px = primary(x);
    ManagedChannel toX = serve(px);
    Replica learner = follow(open("learner"), toX, "learner", true);
    Replica replica = follow(open("y"), toX, "y", false);
    await().atMost(CONVERGE).until(() -> px.status().activeSessions() == 2);
    long w = x.put(b("k"), b("v"));

    AckResult one = px.awaitAcknowledged(w, AckLevel.replica(1), CONVERGE).get();
    assertThat(one.confirmed()).isTrue();
    assertThat(one.acknowledged()).isEqualTo(1);
    assertThat(px.confirmedSequence()).isGreaterThanOrEqualTo(w);
    assertThat(x.get(b("k")).map(v -> new String(v, UTF_8))).hasValue("v");

    awaitAcked(px, learner, "learner", w);
    awaitAcked(px, replica, "y", w);
    AckResult two = px.awaitAcknowledged(w, AckLevel.replica(2), SHORT).get();
    assertThat(two.confirmed()).as("the learner is not a second replica").isFalse();
    assertThat(two.acknowledged()).isEqualTo(1);
    AckResult all = px.awaitAcknowledged(w, AckLevel.ALL, CONVERGE).get();
    assertThat(all.confirmed()).isTrue();
    assertThat(all.required()).as("'all' means every counted replica: y").isEqualTo(1);
    assertThat(px.connectedReplicas()).isEqualTo(1);
    assertThat(status(px, "y").learner()).isFalse();
  }

  @Test
  void aLearnersAcksMoveItsWalHoldWhichStaysWhileItIsAway() throws Exception {
    KevoDB x = open("x");
    Primary px = primary(x);
    ManagedChannel toX = serve(px);
    Replica learner = follow(open("learner"), toX, "learner", true);
    long w = 0;
    for (int i = 0; i < 10; i++) {
      w = x.put(b("k" + i), b("v" + i));
    }
    long last = w;
    awaitAcked(px, learner, "learner", last);
    await().atMost(CONVERGE).until(() -> status(px, "learner").heldFromSequence() == last + 1);
    assertThat(status(px, "learner").lagEntries()).isZero();

    // Away, it keeps its position and the log from there, like any named replica.
    learner.stop();
    await().atMost(CONVERGE).until(() -> !status(px, "learner").connected());
    x.put(b("later"), b("v"));
    PrimaryStatus.Replica away = status(px, "learner");
    assertThat(away.learner()).isTrue();
    assertThat(away.lastAckedSequence()).isEqualTo(last);
    assertThat(away.heldFromSequence()).isEqualTo(last + 1);
    assertThat(px.confirmedSequence()).isZero();
  }

  @Test
  void learnerIsOffByDefaultAndKeptByToBuilder() {
    assertThat(ReplicaOptions.DEFAULT.learner()).isFalse();
    ReplicaOptions o = ReplicaOptions.builder().learner(true).build();
    assertThat(o.learner()).isTrue();
    assertThat(o.toBuilder().build().learner()).isTrue();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
