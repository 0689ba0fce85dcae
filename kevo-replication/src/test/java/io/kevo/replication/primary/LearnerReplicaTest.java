package io.kevo.replication.primary;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.kevo.engine.Checkpoint;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyRange;
import io.kevo.engine.Options;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.SyncMode;
import io.kevo.replication.AckResult;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.PrimaryStatus;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.TestNodes;
import io.kevo.replication.replica.Replica;
import io.kevo.replication.replica.ReplicaStateMachine;
import io.kevo.wire.AckLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    return follow(db, primary, id, learner, KeyRange.ALL);
  }

  private Replica follow(
      KevoDB db, ManagedChannel primary, String id, boolean learner, KeyRange range) {
    return follow(db, primary, id, learner, range, (from, to, why) -> {});
  }

  private Replica follow(
      KevoDB db,
      ManagedChannel primary,
      String id,
      boolean learner,
      KeyRange range,
      ReplicaStateMachine.Listener transitions) {
    Replica r =
        new Replica(
            db,
            () -> primary,
            ReplicaOptions.builder()
                .replicaId(id)
                .learner(learner)
                .keyRange(range)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .build());
    closers.add(r::stop);
    r.stateMachine().addListener(transitions);
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
  void aLearnerOfARangeBootstrapsFromASnapshotOfItAndKeepsOnlyThatRange() throws Exception {
    KevoDB x =
        KevoDB.open(
            dir.resolve("x"),
            Options.builder()
                .syncMode(SyncMode.NONE)
                .memtableSize(64 * 1024)
                .targetFileSize(64 * 1024)
                .build());
    closers.add(x::close);
    TreeMap<String, String> written = new TreeMap<>();
    Random random = new Random(7);
    byte[] noise = new byte[60];
    for (int i = 0; i < 3000; i++) {
      random.nextBytes(noise); // values that do not compress: many tables
      String v = "v" + HexFormat.of().formatHex(noise);
      x.put(b(key(i)), b(v));
      written.put(key(i), v);
    }
    x.compactRange(null, null);
    long whole;
    try (Checkpoint c = x.checkpoint()) {
      whole = c.totalBytes();
    }
    Primary px = primary(x);
    ManagedChannel toX = serve(px);
    KeyRange middle = new KeyRange(b(key(1000)), b(key(2000)));
    KevoDB l = open("learner");

    List<ReplicaState> states = new CopyOnWriteArrayList<>();
    Replica learner = follow(l, toX, "learner", true, middle, (from, to, why) -> states.add(to));
    await().atMost(CONVERGE).until(() -> learner.status().bootstrapsCompleted() == 1);
    assertThat(l.retained()).isEqualTo(middle);
    // Bootstrapping is how a range learner starts, not a failure: it never shows ERROR.
    assertThat(states).startsWith(ReplicaState.BOOTSTRAPPING, ReplicaState.CONNECTING);
    assertThat(states).doesNotContain(ReplicaState.ERROR);
    assertThat(px.snapshotTransfers().bytesSent())
        .as("a snapshot of a third of the keys, plus the tables astride its ends")
        .isLessThan(whole / 2);
    // The log after the snapshot carries every key; the learner keeps those of its range.
    long last = 0;
    for (int i = 0; i < 3000; i += 10) {
      last = x.put(b(key(i)), b("w" + i));
      written.put(key(i), "w" + i);
    }
    last = x.delete(b(key(1500)));
    written.remove(key(1500));
    awaitAcked(px, learner, "learner", last);
    l.compactRange(null, null);
    assertThat(contents(l)).isEqualTo(written.subMap(key(1000), key(2000)));

    // Back with the same range, it streams on; with another range, it bootstraps again.
    learner.stop();
    long more = x.put(b(key(1001)), b("again"));
    Replica same = follow(l, toX, "learner", true, middle);
    awaitAcked(px, same, "learner", more);
    assertThat(same.status().bootstrapsCompleted()).isZero();
    same.stop();
    KeyRange wider = new KeyRange(b(key(500)), b(key(2000)));
    Replica other = follow(l, toX, "learner", true, wider);
    await().atMost(CONVERGE).until(() -> other.status().bootstrapsCompleted() == 1);
    assertThat(l.retained()).isEqualTo(wider);
    assertThat(l.get(b(key(700))).map(v -> new String(v, UTF_8))).hasValue(written.get(key(700)));
  }

  @Test
  void onlyALearnerKeepsPartOfTheKeys() {
    KeyRange some = new KeyRange(b("a"), b("b"));
    assertThatThrownBy(() -> ReplicaOptions.builder().replicaId("r").keyRange(some).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only a learner");
    assertThat(ReplicaOptions.builder().learner(true).keyRange(some).build().keyRange())
        .isEqualTo(some);
  }

  private static String key(int i) {
    return String.format("key%06d", i);
  }

  private static TreeMap<String, String> contents(KevoDB db) {
    TreeMap<String, String> out = new TreeMap<>();
    try (KevoIterator it = db.scan(ScanOptions.builder().build())) {
      it.forEachRemaining(
          kv -> out.put(new String(kv.key(), UTF_8), new String(kv.value(), UTF_8)));
    }
    return out;
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
