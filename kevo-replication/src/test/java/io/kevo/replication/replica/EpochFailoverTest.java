package io.kevo.replication.replica;

import static io.kevo.replication.TestNodes.contents;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.TestNodes;
import io.kevo.replication.primary.Primary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epochs with real {@link Primary} and {@link Replica} objects over in-process gRPC: a failover
 * (the old primary's write that no replica got is discarded when it follows the promoted one, and
 * recorded), a stale primary refused by a replica that has seen a newer epoch (and the stale
 * primary learning it is superseded), and a primary restart that lost entries a replica had.
 */
@Timeout(120)
class EpochFailoverTest {
  private static final Options DB = Options.builder().syncMode(SyncMode.NONE).build();
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final Map<String, KevoDB> dbs = new LinkedHashMap<>();
  private final List<AutoCloseable> closers = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
    for (KevoDB db : dbs.values()) {
      db.close();
    }
  }

  private KevoDB db(String name) {
    return dbs.computeIfAbsent(name, n -> KevoDB.open(dir.resolve(n), DB));
  }

  /** Serves {@code p} in-process; returns a channel to it. */
  private ManagedChannel serve(Primary p) throws Exception {
    return TestNodes.serveInProcess(p.bindableService(), closers);
  }

  private Replica follow(KevoDB db, ManagedChannel primary) {
    Replica r =
        new Replica(
            db,
            () -> primary,
            ReplicaOptions.builder()
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .build());
    r.start();
    return r;
  }

  @Test
  void afterAFailoverTheOldPrimaryDiscardsTheWritesOnlyItHadAndConvergesToTheNewHistory()
      throws Exception {
    KevoDB x = db("x");
    Primary px = Primary.open(x, PrimaryOptions.DEFAULT);
    ManagedChannel toX = serve(px);
    for (int i = 0; i < 100; i++) {
      x.put(b("k" + i), b("x" + i));
    }
    KevoDB y = db("y");
    Replica ry = follow(y, toX);
    await().atMost(CONVERGE).until(() -> ry.getLastAppliedSequence() == 100);
    ry.stop();
    assertThat(ry.epochs()).isEqualTo(px.epochs());

    // Writes only the old primary gets, then it goes away.
    x.put(b("only-x-1"), b("lost"));
    x.delete(b("k1"));
    px.close();

    // Promote y: a new epoch from its next sequence.
    EpochHistory promoted = Primary.beginTerm(y, true);
    assertThat(promoted.currentEpoch()).isEqualTo(px.epochs().currentEpoch() + 1);
    assertThat(promoted.last().startSequence()).isEqualTo(101);
    Primary py = Primary.open(y, PrimaryOptions.DEFAULT, promoted);
    ManagedChannel toY = serve(py);
    y.put(b("after-failover"), b("y"));

    // The old primary follows the new one: entries 101..102 are not in y's history.
    Replica rx = follow(x, toY);
    closers.add(rx::stop);
    await().atMost(CONVERGE).until(() -> rx.status().bootstrapsCompleted() == 1);
    await().atMost(CONVERGE).until(() -> rx.getLastAppliedSequence() == y.latestSequence());
    assertThat(contents(x)).isEqualTo(contents(y));
    assertThat(x.get(b("only-x-1"))).isEmpty();
    assertThat(x.get(b("k1"))).isPresent();
    assertThat(x.get(b("after-failover"))).isPresent();
    assertThat(rx.epochs()).isEqualTo(py.epochs());
    assertThat(EpochHistory.load(dir.resolve("x").resolve("replication"))).isEqualTo(py.epochs());

    // What was discarded is recorded for the operator.
    Path discarded = dir.resolve("x").resolve("replication").resolve(DiscardReport.DIRECTORY);
    List<Path> files;
    try (Stream<Path> s = Files.list(discarded)) {
      files = s.toList();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).endsWith("-101-102.txt");
    assertThat(Files.readAllLines(files.get(0)))
        .containsExactly("101 PUT only-x-1 lost", "102 DELETE k1");
    py.close();
  }

  @Test
  void aReplicaThatHasSeenANewerEpochRefusesTheStalePrimaryWhichThenRefusesWrites()
      throws Exception {
    KevoDB x = db("x");
    Primary px = Primary.open(x, PrimaryOptions.DEFAULT);
    closers.add(px::close);
    ManagedChannel toX = serve(px);
    x.put(b("a"), b("1"));
    KevoDB y = db("y");
    Replica ry = follow(y, toX);
    await().atMost(CONVERGE).until(() -> ry.getLastAppliedSequence() == 1);
    ry.stop();

    // y is promoted (x is cut off, not dead), writes in its epoch, then is pointed back at x.
    Primary py = Primary.open(y, PrimaryOptions.DEFAULT, Primary.beginTerm(y, true));
    y.put(b("b"), b("2"));
    py.close();
    x.put(b("c"), b("stale"));
    long before = px.status().streamsRefused();

    Replica back = follow(y, toX);
    closers.add(back::stop);
    await()
        .atMost(CONVERGE)
        .until(() -> back.status().refusal() == ReplicationException.Reason.STALE_EPOCH);
    assertThat(back.status().lastError()).contains("stale");
    assertThat(back.getCurrentState()).isIn(ReplicaState.ERROR, ReplicaState.CONNECTING);
    // Nothing of the stale primary was applied: y keeps its own newer history.
    assertThat(y.get(b("c"))).isEmpty();
    assertThat(y.get(b("b"))).isPresent();
    // The stale primary learnt from GetEpochs that it has been superseded.
    assertThat(px.supersededBy()).contains("another node was promoted");
    assertThat(px.status().streamsRefused()).isGreaterThan(before);
    assertThat(px.sessions().countSessions()).isZero();
  }

  @Test
  void aPrimaryRestartThatLostEntriesAReplicaHadMakesTheReplicaDiscardThem() throws Exception {
    KevoDB x = db("x");
    Primary px = Primary.open(x, PrimaryOptions.DEFAULT);
    ManagedChannel toX = serve(px);
    for (int i = 0; i < 10; i++) {
      x.put(b("k" + i), b("v" + i));
    }
    KevoDB y = db("y");
    Replica ry = follow(y, toX);
    await().atMost(CONVERGE).until(() -> ry.getLastAppliedSequence() == 10);
    ry.stop();
    px.close();
    long firstEpoch = px.epochs().currentEpoch();

    // x "restarts" having lost entries 6..10 (a crash of an unsynced log): its data is replaced
    // by a copy made at sequence 5, then it is a primary again.
    KevoDB x2 = db("x2");
    Primary scratch = Primary.open(x2, PrimaryOptions.DEFAULT);
    scratch.close();
    // x2 takes x's identity and history as they were, then writes its own 6..7.
    Files.copy(
        dir.resolve("x").resolve("replication").resolve("replica-id"),
        dir.resolve("x2").resolve("replication").resolve("replica-id"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    px.epochs().store(dir.resolve("x2").resolve("replication"));
    for (int i = 0; i < 5; i++) {
      x2.put(b("k" + i), b("v" + i));
    }
    Primary px2 = Primary.open(x2, PrimaryOptions.DEFAULT);
    closers.add(px2::close);
    assertThat(px2.epochs().currentEpoch()).isEqualTo(firstEpoch); // its own restart
    assertThat(px2.epochs().last().termId()).isNotEqualTo(px.epochs().last().termId());
    ManagedChannel toX2 = serve(px2);
    x2.put(b("new-6"), b("n"));
    x2.put(b("new-7"), b("n"));

    Replica again = follow(y, toX2);
    closers.add(again::stop);
    await().atMost(CONVERGE).until(() -> again.status().bootstrapsCompleted() == 1);
    await().atMost(CONVERGE).until(() -> again.getLastAppliedSequence() == x2.latestSequence());
    assertThat(contents(y)).isEqualTo(contents(x2));
    assertThat(y.get(b("k7"))).isEmpty();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
