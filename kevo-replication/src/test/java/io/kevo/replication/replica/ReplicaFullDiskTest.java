package io.kevo.replication.replica;

import static io.kevo.replication.TestNodes.contents;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.EngineTestSupport;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.internal.io.FaultyFiles;
import io.kevo.replication.AckResult;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.ServedPrimary;
import io.kevo.wire.AckLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link Primary} and {@link Replica} over in-process gRPC, the replica's database writing
 * through the engine's fault-injecting file seam ({@link FaultyFiles}): its disk fills up while the
 * primary keeps writing. A full disk is waited out in {@link ReplicaState#ERROR} (no stream, no
 * reconnect) and the replica catches up by itself once the engine takes writes again, applying
 * every entry exactly once, also after a restart that kept part of a torn apply in its log; a
 * failure the engine cannot recover from without a reopen stops replication with its reason; a
 * state file the replica cannot write (its epoch history) is retried, not fatal.
 */
@Timeout(120)
class ReplicaFullDiskTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String REPLICA_ID = "full-disk";
  private static final AckLevel ONE = AckLevel.replica(1);

  @TempDir Path dir;

  private final FaultyFiles disk = new FaultyFiles();
  private final List<Replica> replicas = new ArrayList<>();
  private KevoDB primaryDb;
  private KevoDB replicaDb;
  private ServedPrimary served;

  @BeforeEach
  void startPrimary() throws Exception {
    primaryDb = KevoDB.open(dir.resolve("primary"));
    served = ServedPrimary.open(primaryDb, PrimaryOptions.DEFAULT);
  }

  @AfterEach
  void tearDown() throws Exception {
    disk.free();
    for (Replica r : replicas) {
      r.stop();
    }
    served.close();
    if (replicaDb != null) {
      replicaDb.close();
    }
    primaryDb.close();
  }

  @Test
  void aFullDiskIsWaitedOutAndTheReplicaCatchesUpApplyingEveryEntryOnce() throws Exception {
    replicaDb = openFaulty(Duration.ofMillis(20));
    Replica replica = startReplica(replicaDb);
    long before = write(0, 100);
    assertThat(ack(before, PATIENCE).confirmed()).isTrue();
    long reconnectsBefore = replica.status().reconnects();

    disk.fillUp();
    write(100, 200);
    await().atMost(PATIENCE).until(() -> diskFullReported(replica));
    ReplicaStatus waiting = replica.status();
    assertThat(waiting.running()).isTrue();
    assertThat(waiting.lastError()).contains(FaultyFiles.NO_SPACE);
    assertThat(waiting.lastAppliedSequence()).isEqualTo(before);

    // The primary keeps writing; the engine's recovery keeps finding the disk full. Meanwhile the
    // replica neither reconnects nor acknowledges: a write waiting for it is not confirmed.
    long written = write(200, 300);
    int probes = disk.failures();
    await().atMost(PATIENCE).until(() -> disk.failures() >= probes + 3);
    AckResult unconfirmed = ack(written, Duration.ofMillis(300));
    assertThat(unconfirmed.confirmed()).isFalse();
    assertThat(unconfirmed.acknowledged()).isZero();
    ReplicaStatus stillWaiting = replica.status();
    assertThat(stillWaiting.state()).isEqualTo(ReplicaState.ERROR);
    assertThat(stillWaiting.reconnects()).isEqualTo(reconnectsBefore);
    assertThat(stillWaiting.lastAppliedSequence()).isEqualTo(before);
    assertThat(replicaDb.writeRefusal().orElseThrow().code()).isEqualTo(ErrorCode.NO_SPACE);

    disk.free();
    long last = write(300, 320);
    assertThat(ack(last, PATIENCE).confirmed()).isTrue();
    await().atMost(PATIENCE).until(() -> replica.getLastAppliedSequence() == last);

    ReplicaStatus done = replica.status();
    assertThat(done.reconnects())
        .as("one reconnect, once space was back")
        .isEqualTo(reconnectsBefore + 1);
    assertThat(done.entriesApplied()).as("every operation applied once").isEqualTo(last);
    assertThat(done.ackedSequence()).isEqualTo(last);
    assertThat(contents(replicaDb)).containsExactlyEntriesOf(contents(primaryDb));
    assertThat(log(replicaDb, 1)).isEqualTo(log(primaryDb, 1));
  }

  @Test
  void aRestartBeforeTheDiskRecoveredContinuesFromWhatTheTornApplyLeftInTheLog() throws Exception {
    // The engine's recovery is not due before the restart: the torn apply's bytes stay in its log.
    replicaDb = openFaulty(Duration.ofHours(1));
    Replica first = startReplica(replicaDb);
    long before = write(0, 100);
    await().atMost(PATIENCE).until(() -> first.getLastAppliedSequence() == before);
    first.stop();

    // The backlog comes in one message and is applied in one group, which the full disk tears.
    disk.fillUp();
    long last = write(100, 300);
    Replica second = startReplica(replicaDb);
    await().atMost(PATIENCE).until(() -> diskFullReported(second));
    assertThat(second.getLastAppliedSequence()).isEqualTo(before);
    second.stop();
    replicaDb.close();
    disk.free();

    replicaDb = KevoDB.open(dir.resolve("replica"));
    long recovered = replicaDb.latestSequence();
    assertThat(recovered)
        .as("whole records of the torn group kept")
        .isBetween(before + 1, last - 1);
    Replica third = startReplica(replicaDb);
    await().atMost(PATIENCE).until(() -> third.getLastAppliedSequence() == last);

    assertThat(third.status().entriesApplied())
        .as("only what the log lacked, once")
        .isEqualTo(last - recovered);
    assertThat(contents(replicaDb)).containsExactlyEntriesOf(contents(primaryDb));
    // From where the reopened log ended (the engine may trim what it flushed at open).
    assertThat(log(replicaDb, recovered + 1)).isEqualTo(log(primaryDb, recovered + 1));
  }

  @Test
  void aDiskFailingWithAnIoErrorStopsReplicationWithTheEnginesReason() throws Exception {
    replicaDb = openFaulty(Duration.ofMillis(20));
    Replica replica = startReplica(replicaDb);
    long before = write(0, 50);
    await().atMost(PATIENCE).until(() -> replica.getLastAppliedSequence() == before);

    disk.failWrites(p -> true, FaultyFiles.IO_ERROR);
    write(50, 100);
    await().atMost(PATIENCE).until(() -> !replica.status().running());

    assertStopped(replica, FaultyFiles.IO_ERROR);
    assertThat(replica.getLastAppliedSequence()).isEqualTo(before);
    assertThat(replicaDb.writeRefusal().orElseThrow().code()).isEqualTo(ErrorCode.WRITES_REFUSED);
  }

  @Test
  void aFailedFsyncStopsReplicationEvenWhenItFailedForLackOfSpace() throws Exception {
    replicaDb = openFaulty(Duration.ofMillis(20));
    Replica replica = startReplica(replicaDb);
    long before = write(0, 50);
    await().atMost(PATIENCE).until(() -> replica.getLastAppliedSequence() == before);

    // Appends work, fsyncs fail: acknowledging needs an fsync, and a failed one is never retried.
    disk.failForces(p -> true, FaultyFiles.NO_SPACE);
    long written = write(50, 100);
    await().atMost(PATIENCE).until(() -> !replica.status().running());
    assertThat(ack(written, Duration.ofMillis(200)).confirmed()).isFalse();

    assertStopped(replica, FaultyFiles.NO_SPACE);
    assertThat(replica.status().ackedSequence()).isLessThan(written);
  }

  @Test
  void anEpochHistoryTheReplicaCannotWriteIsRetriedInsteadOfEndingReplication() throws Exception {
    // A directory where the history's temporary file goes: writing it fails, as on a full disk.
    Path stateDir = dir.resolve("replica").resolve(ReplicaIdentity.DIRECTORY);
    Path inTheWay = Files.createDirectories(stateDir.resolve(EpochHistory.FILE + ".tmp"));
    Files.createFile(inTheWay.resolve("file"));
    replicaDb = KevoDB.open(dir.resolve("replica"));
    Replica replica = startReplica(replicaDb);
    long last = write(0, 50);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                replica.status().lastError() != null
                    && replica.status().lastError().startsWith("cannot write the epoch history"));
    assertThat(replica.status().running()).isTrue();
    assertThat(replica.getLastAppliedSequence()).isZero();

    Files.delete(inTheWay.resolve("file"));
    Files.delete(inTheWay);
    await().atMost(PATIENCE).until(() -> replica.getLastAppliedSequence() == last);
    assertThat(replica.epochs()).isEqualTo(served.primary().epochs());
    assertThat(EpochHistory.load(stateDir)).isEqualTo(served.primary().epochs());
    assertThat(contents(replicaDb)).containsExactlyEntriesOf(contents(primaryDb));
  }

  private void assertStopped(Replica replica, String cause) {
    ReplicaStatus s = replica.status();
    assertThat(s.state()).isEqualTo(ReplicaState.ERROR);
    assertThat(replica.getStateString()).isEqualTo("ERROR");
    assertThat(s.lastError())
        .startsWith("replication stopped: the local database refuses writes until it is reopened")
        .contains(cause)
        .doesNotContain("the local disk is full");
  }

  private static boolean diskFullReported(Replica r) {
    ReplicaStatus s = r.status();
    return s.state() == ReplicaState.ERROR
        && s.lastError() != null
        && s.lastError().startsWith("the local disk is full; retrying");
  }

  private KevoDB openFaulty(Duration firstRetry) {
    return EngineTestSupport.open(dir.resolve("replica"), Options.DEFAULT, disk, firstRetry);
  }

  private Replica startReplica(KevoDB db) {
    Replica r =
        new Replica(
            db,
            () -> served.channel(),
            ReplicaOptions.builder()
                .replicaId(REPLICA_ID)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .lazyAckInterval(Duration.ofMillis(20))
                .build());
    replicas.add(r);
    r.start();
    return r;
  }

  private AckResult ack(long sequence, Duration timeout) throws Exception {
    return served
        .primary()
        .awaitAcknowledged(sequence, ONE, timeout)
        .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }

  /**
   * Writes keys {@code from} to {@code to - 1} on the primary: puts, every tenth key also deleted
   * again, every 25 keys an atomic batch of three. Returns the last sequence.
   */
  private long write(int from, int to) {
    long last = 0;
    for (int i = from; i < to; i++) {
      byte[] value = ("value-" + i + "-" + "x".repeat(200)).getBytes(UTF_8);
      last = primaryDb.put(key(i), value);
      if (i % 10 == 9) {
        last = primaryDb.delete(key(i - 5));
      }
      if (i % 25 == 24) {
        WriteBatch batch = new WriteBatch();
        batch.put(key(i).clone(), b("batched-" + i));
        batch.put(b("batch-" + i), b("one"));
        batch.delete(key(i - 1));
        last = primaryDb.write(batch);
      }
    }
    return last;
  }

  /**
   * The log from the record starting at {@code from}, one line per operation: sequence, type, key,
   * value, batch membership.
   */
  private static List<String> log(KevoDB db, long from) {
    List<String> out = new ArrayList<>();
    try (WalCursor cursor = db.wal().readFrom(from)) {
      while (cursor.hasNext()) {
        WalRecord r = cursor.next();
        for (WalOperation op : r.operations()) {
          out.add(
              op.sequence()
                  + " "
                  + op.type()
                  + " "
                  + new String(op.key(), UTF_8)
                  + (op.value() == null ? "" : "=" + new String(op.value(), UTF_8))
                  + (r.batch() ? " in batch " + r.firstSequence() : ""));
        }
      }
    }
    return out;
  }

  private static byte[] key(int i) {
    return b(String.format("key%05d", i));
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
