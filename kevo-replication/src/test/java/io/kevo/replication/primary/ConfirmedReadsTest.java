package io.kevo.replication.primary;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.SyncMode;
import io.kevo.replication.AckResult;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.TestNodes;
import io.kevo.replication.replica.Replica;
import io.kevo.wire.AckLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary whose writes wait for a replica ({@code replica:1}) lets clients read only what a
 * replica has acknowledged, with real {@link Primary} and {@link Replica} objects over in-process
 * gRPC: a write no replica acknowledged is not read until one does; a restarted primary refuses
 * reads until a replica has confirmed its last sequence, even with nothing new to send it.
 */
@Timeout(120)
class ConfirmedReadsTest {
  private static final Options DB = Options.builder().syncMode(SyncMode.NONE).build();
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final PrimaryOptions REPLICA_1 =
      PrimaryOptions.builder().ackLevel(AckLevel.replica(1)).build();

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

  private Primary primary(KevoDB db) {
    Primary p = Primary.open(db, REPLICA_1);
    closers.add(p::close);
    return p;
  }

  /** Serves {@code p} in-process; returns a channel to it. */
  private ManagedChannel serve(Primary p) throws Exception {
    return TestNodes.serveInProcess(p.bindableService(), closers);
  }

  private Replica follow(KevoDB db, ManagedChannel primary) {
    return follow(db, () -> primary);
  }

  private Replica follow(KevoDB db, Supplier<ManagedChannel> primary) {
    Replica r =
        new Replica(
            db,
            primary,
            ReplicaOptions.builder()
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .build());
    closers.add(r::stop);
    r.start();
    return r;
  }

  private static Optional<String> get(KevoDB db, String key) {
    return db.get(b(key)).map(v -> new String(v, UTF_8));
  }

  @Test
  void aWriteNoReplicaAcknowledgedIsNotReadOnThePrimaryUntilOneDoes() throws Exception {
    KevoDB x = open("x");
    Primary px = primary(x);
    assertThat(px.readsOnlyConfirmed()).isTrue();
    assertThat(px.readRefusal()).as("a database never written is confirmed").isNull();
    ManagedChannel toX = serve(px);
    KevoDB y = open("y");
    Replica ry = follow(y, toX);
    long confirmed = x.put(b("k"), b("confirmed"));
    assertThat(px.awaitAcknowledged(confirmed, AckLevel.replica(1), CONVERGE).get().confirmed())
        .isTrue();
    assertThat(get(x, "k")).hasValue("confirmed");

    // The replica is cut off (it acknowledges what it has as it stops), then the primary writes.
    ry.stop();
    await().atMost(CONVERGE).until(() -> px.connectedReplicas() == 0);
    long unconfirmed = x.put(b("k"), b("unconfirmed"));
    long other = x.put(b("new-key"), b("unconfirmed"));
    AckResult timedOut =
        px.awaitAcknowledged(other, AckLevel.replica(1), Duration.ofMillis(200)).get();
    assertThat(timedOut.confirmed()).isFalse();

    // Committed on the primary, but no read sees it: a failover to y would take it back.
    assertThat(x.latestSequence()).isEqualTo(other);
    assertThat(px.confirmedSequence()).isEqualTo(confirmed);
    assertThat(x.readSequence()).isEqualTo(confirmed);
    assertThat(get(x, "k")).hasValue("confirmed");
    assertThat(get(x, "new-key")).isEmpty();
    try (var it = x.scan(io.kevo.engine.ScanOptions.ALL)) {
      assertThat(it.hasNext()).isTrue();
      assertThat(new String(it.next().value(), UTF_8)).isEqualTo("confirmed");
      assertThat(it.hasNext()).isFalse();
    }
    try (var snap = x.snapshot()) {
      assertThat(snap.sequence()).isEqualTo(confirmed);
    }
    // A reader whose token covers the write (its writer, say) reads it.
    assertThat(x.get(b("k"), ReadOptions.atLeast(unconfirmed)).map(v -> new String(v, UTF_8)))
        .hasValue("unconfirmed");
    assertThat(px.readRefusal()).isNull();

    // The replica comes back and acknowledges: now everybody reads the writes.
    follow(y, toX);
    await().atMost(CONVERGE).until(() -> px.confirmedSequence() >= other);
    assertThat(get(x, "k")).hasValue("unconfirmed");
    assertThat(get(x, "new-key")).hasValue("unconfirmed");
    assertThat(x.readSequence()).isEqualTo(other);
  }

  @Test
  void aRestartedPrimaryRefusesReadsUntilAReplicaConfirmsItsLastSequence() throws Exception {
    KevoDB x = open("x");
    Primary px = primary(x);
    ManagedChannel toX = serve(px);
    KevoDB y = open("y");
    Replica ry = follow(y, toX);
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = x.put(b("k" + i), b("v" + i));
    }
    long confirmedBefore = last;
    await().atMost(CONVERGE).until(() -> px.confirmedSequence() == confirmedBefore);
    ry.stop();
    long unconfirmed = x.put(b("late"), b("not on y"));
    px.close();
    x.close();

    // The restart: its log holds `unconfirmed`, which it cannot know no replica has.
    KevoDB x2 = open("x");
    Primary px2 = primary(x2);
    assertThat(px2.confirmedSequence()).as("positions loaded from disk confirm nothing").isZero();
    assertThat(px2.readRefusal())
        .isEqualTo(
            "this primary holds writes up to sequence "
                + unconfirmed
                + " its replicas have not confirmed yet (confirmed: 0); reads resume once a"
                + " replica has them");

    // y comes back, receives the entry and acknowledges it: reads resume, and see it.
    follow(y, serve(px2));
    await().atMost(CONVERGE).until(() -> px2.readRefusal() == null);
    assertThat(px2.confirmedSequence()).isEqualTo(unconfirmed);
    assertThat(get(x2, "late")).hasValue("not on y");
    assertThat(get(y, "late")).hasValue("not on y");
  }

  @Test
  void aCaughtUpIdleReplicaConfirmsARestartedPrimaryWithoutNewWrites() throws Exception {
    KevoDB x = open("x");
    Primary px = primary(x);
    AtomicReference<ManagedChannel> toPrimary = new AtomicReference<>(serve(px));
    KevoDB y = open("y");
    // The replica stays up across the primary's restart and reconnects by itself.
    Replica ry = follow(y, toPrimary::get);
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = x.put(b("k" + i), b("v" + i));
    }
    long all = last;
    await().atMost(CONVERGE).until(() -> px.confirmedSequence() == all);
    await().atMost(CONVERGE).until(() -> ry.status().ackedSequence() == all);

    // Restarted with nothing to send: the new session asks the replica for an acknowledgement,
    // and the replica answers with what it holds, although it applies nothing new and had
    // acknowledged all of it to the primary's previous run.
    px.close();
    Primary px2 = primary(x);
    assertThat(px2.readRefusal()).contains("holds writes up to sequence " + all);
    toPrimary.set(serve(px2));
    await().atMost(CONVERGE).until(() -> px2.readRefusal() == null);
    assertThat(px2.confirmedSequence()).isEqualTo(all);
    assertThat(ry.status().lastAppliedSequence()).isEqualTo(all);
    assertThat(get(x, "k19")).hasValue("v19");
  }

  @Test
  void atAsyncThePrimaryReadsEverythingAtOnce() throws Exception {
    KevoDB x = open("x");
    x.put(b("before"), b("1"));
    Primary px = Primary.open(x, PrimaryOptions.DEFAULT);
    closers.add(px::close);
    long s = x.put(b("k"), b("v"));
    assertThat(px.readsOnlyConfirmed()).isFalse();
    assertThat(px.readRefusal()).isNull();
    assertThat(x.readSequence()).isEqualTo(s);
    assertThat(get(x, "k")).hasValue("v");
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
