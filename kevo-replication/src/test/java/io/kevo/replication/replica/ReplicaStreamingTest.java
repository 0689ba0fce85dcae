package io.kevo.replication.replica;

import static io.kevo.replication.wire.ReplicaEntries.b;
import static io.kevo.replication.wire.ReplicaEntries.batch;
import static io.kevo.replication.wire.ReplicaEntries.corrupt;
import static io.kevo.replication.wire.ReplicaEntries.del;
import static io.kevo.replication.wire.ReplicaEntries.fragments;
import static io.kevo.replication.wire.ReplicaEntries.full;
import static io.kevo.replication.wire.ReplicaEntries.put;
import static io.kevo.replication.wire.ReplicaEntries.singles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.KevoDB;
import io.kevo.engine.WalListener;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalSubscription;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaState;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.replica.ReplicaFakePrimary.Received;
import io.kevo.replication.wire.ReplicaEntries;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReplicaStreamingTest extends ReplicaFixture {
  private ReplicaOptions.Builder options() {
    return ReplicaOptions.builder()
        .listenerAddress("replica-host:7001")
        .ackInterval(Duration.ofMillis(2));
  }

  private String value(String key) {
    return db.get(b(key)).map(String::new).orElse(null);
  }

  @Test
  void appliesEveryWireFormWithThePrimarysSequencesAndAcksTheDurablePosition() {
    start(options());
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    WALStreamRequest req = s.request;
    assertThat(req.getStartSequence()).isEqualTo(1);
    assertThat(req.getListenerAddress()).isEqualTo("replica-host:7001");
    assertThat(req.getAcceptPacked()).isTrue();
    assertThat(req.getPreferredCodec()).isEqualTo(CompressionCodec.ZSTD);
    assertThat(req.getReplicaId()).isEqualTo(replica.replicaId()).isNotBlank();
    assertThat(Files.exists(dir.resolve("replication").resolve("replica-id"))).isTrue();

    s.send(singles(1, 3));
    s.send(batch(List.of(put(4, "b1", "x"), del(5, "k1"), put(6, "b2", "y"))));
    s.send(fragments(put(7, "big", "z".repeat(50_000)), 5, 0, 0));
    s.send(ReplicaEntries.packed(CompressionCodec.ZSTD, singles(8, 10)));
    s.send(ReplicaEntries.perEntryCompressed(CompressionCodec.SNAPPY, singles(11, 12)));
    s.send(
        ReplicaEntries.packed(
            CompressionCodec.SNAPPY, batch(List.of(put(13, "p", "1"), put(14, "q", "2")))));
    awaitApplied(14);

    assertThat(db.wal().nextSequence()).isEqualTo(15);
    assertThat(value("k1")).isNull();
    assertThat(value("k2")).isEqualTo("v2");
    assertThat(value("b2")).isEqualTo("y");
    assertThat(value("big")).hasSize(50_000);
    assertThat(value("k12")).isEqualTo("v12");
    assertThat(value("q")).isEqualTo("2");

    await().atMost(Duration.ofSeconds(10)).until(() -> replica.status().ackedSequence() == 14);
    assertThat(primary.acks).allSatisfy(a -> assertThat(a.sessionId()).isEqualTo(s.sessionId));
    assertThat(primary.acks.get(primary.acks.size() - 1).sequence()).isEqualTo(14);
    assertThat(primary.nacks).isEmpty();
    ReplicaStatus st = replica.status();
    assertThat(st.entriesApplied()).isEqualTo(14);
    assertThat(st.batchesApplied()).isEqualTo(2);
    assertThat(st.durableSequence()).isEqualTo(14);
    assertThat(st.sessionId()).isEqualTo(s.sessionId);
    assertThat(st.connectedSince()).isNotNull();
    assertThat(st.uncompressedBytesReceived()).isGreaterThan(50_000);
    assertThat(st.wireBytesReceived()).isPositive();
    assertThat(st.lagEntries()).isZero();
    assertThat(st.lagMillis()).isZero();
    assertThat(st.checksumFailures()).isZero();
  }

  @Test
  void aBatchSpanningResponsesBecomesVisibleAllAtOnceWhenItsLastPartArrives() {
    List<WalRecord> logged = new CopyOnWriteArrayList<>();
    WalSubscription sub =
        db.wal()
            .subscribe(
                "test",
                new WalListener() {
                  @Override
                  public void onRecord(WalRecord record) {
                    logged.add(record);
                  }

                  @Override
                  public void onSync(long durableSequence) {}
                });
    try {
      start(options());
      ReplicaFakePrimary.Stream s = primary.awaitStream();
      List<WalOperation> ops = new ArrayList<>();
      for (long seq = 1; seq <= 3000; seq++) {
        ops.add(put(seq, "batch-" + seq, "value-" + seq));
      }
      List<WALEntry> entries = batch(ops);
      s.send(entries.subList(0, 1000));
      s.send(entries.subList(1000, 2000));
      long twoParts =
          (long) entries.subList(0, 2000).stream().mapToInt(e -> e.getPayload().size()).sum();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> replica.status().uncompressedBytesReceived() >= twoParts);
      // Two thirds received and assembled: nothing of the batch is visible or logged.
      assertThat(value("batch-1")).isNull();
      assertThat(value("batch-2000")).isNull();
      assertThat(replica.getLastAppliedSequence()).isZero();
      assertThat(db.wal().nextSequence()).isEqualTo(1);

      s.send(entries.subList(2000, 3000));
      awaitApplied(3000);
      assertThat(value("batch-1")).isEqualTo("value-1");
      assertThat(value("batch-3000")).isEqualTo("value-3000");
      await().atMost(Duration.ofSeconds(5)).until(() -> !logged.isEmpty());
      assertThat(logged)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.batch()).isTrue();
                assertThat(r.firstSequence()).isEqualTo(1);
                assertThat(r.lastSequence()).isEqualTo(3000);
              });
      assertThat(replica.status().batchesApplied()).isEqualTo(1);
    } finally {
      sub.close();
    }
  }

  @Test
  void flowControlStopsThePrimaryWhileTheApplyThreadIsBusy() {
    // Acknowledge calls no longer hold up the apply thread; a gate in its monotonic clock does.
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean closed = new AtomicBoolean();
    AtomicBoolean stuck = new AtomicBoolean();
    start(
        options()
            .queueCapacity(4)
            .nanoTime(
                () -> {
                  if (closed.get()
                      && Thread.currentThread().getName().startsWith("kevo-replica-")
                      && replica.getLastAppliedSequence() >= 1) {
                    stuck.set(true);
                    try {
                      gate.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  return System.nanoTime();
                }));
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    closed.set(true);
    long seq = 2;
    try {
      s.send(singles(1, 1));
      // The apply thread took that message and is now stuck: whatever follows waits in the queue.
      await().atMost(Duration.ofSeconds(10)).until(stuck::get);
      int sent = 0;
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      while (System.nanoTime() < until) {
        if (s.isReady()) {
          s.send(singles(seq, seq));
          seq++;
          sent++;
        } else {
          sleep(10);
        }
      }
      // A window of 4; the one message taken is not asked for again until half a window (2) has
      // been taken, so 3 more fit, and then the primary must stop.
      assertThat(sent).isEqualTo(3);
      assertThat(s.isReady()).isFalse();
    } finally {
      gate.countDown();
    }
    s.send(singles(seq, 20));
    awaitApplied(20);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void duplicatesAreIgnored() {
    start(options());
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 5));
    awaitApplied(5);
    List<WALEntry> again = new ArrayList<>();
    for (long seq = 3; seq <= 7; seq++) {
      again.add(full(put(seq, "k" + seq, seq <= 5 ? "stale" : "v" + seq)));
    }
    s.send(again);
    awaitApplied(7);
    assertThat(value("k3")).isEqualTo("v3");
    assertThat(value("k7")).isEqualTo("v7");
    assertThat(replica.status().duplicatesIgnored()).isEqualTo(3);
    assertThat(primary.nacks).isEmpty();
  }

  @Test
  void aGapIsNackedOnceFromTheFirstMissingSequenceThenConvergesAfterTheResend() {
    start(options());
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 2));
    s.send(singles(5, 6));
    s.send(singles(7, 7));
    s.send(singles(8, 9));
    await().atMost(Duration.ofSeconds(10)).until(() -> !primary.nacks.isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                replica.status().uncompressedBytesReceived() > 0
                    && replica.status().primaryLastSequence() == 9);
    assertThat(replica.getLastAppliedSequence()).isEqualTo(2);
    assertThat(value("k5")).isNull();
    assertThat(primary.nacks).containsExactly(new Received(3, s.sessionId));

    s.send(singles(3, 9));
    awaitApplied(9);
    s.send(singles(10, 10));
    awaitApplied(10);
    assertThat(value("k5")).isEqualTo("v5");
    assertThat(primary.nacks).hasSize(1);
    assertThat(replica.status().nacksSent()).isEqualTo(1);
    assertThat(replica.status().duplicatesIgnored()).isZero();
  }

  @Test
  void aCorruptEntryIsNotAppliedAndIsNackedFromItsSequence() {
    start(options());
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 2));
    List<WALEntry> damaged = new ArrayList<>(singles(3, 4));
    damaged.set(0, corrupt(damaged.get(0)));
    s.send(damaged);
    await().atMost(Duration.ofSeconds(10)).until(() -> !primary.nacks.isEmpty());
    assertThat(primary.nacks).containsExactly(new Received(3, s.sessionId));
    assertThat(replica.getLastAppliedSequence()).isEqualTo(2);
    assertThat(value("k3")).isNull();
    assertThat(replica.status().checksumFailures()).isEqualTo(1);
    assertThat(replica.status().lastError()).contains("checksum");

    s.send(singles(3, 4));
    awaitApplied(4);
    assertThat(value("k3")).isEqualTo("v3");
    assertThat(value("k4")).isEqualTo("v4");

    // A packed message that does not even decompress: nothing applied, nacked from 5.
    s.send(
        io.kevo.proto.replication.WALStreamResponse.newBuilder()
            .setCompressed(true)
            .setCodec(CompressionCodec.ZSTD)
            .setPackedEntries(com.google.protobuf.ByteString.copyFromUtf8("garbage"))
            .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> primary.nacks.size() == 2);
    assertThat(primary.nacks.get(1)).isEqualTo(new Received(5, s.sessionId));
    assertThat(replica.status().malformedEntries()).isEqualTo(1);
    s.send(ReplicaEntries.packed(CompressionCodec.ZSTD, singles(5, 6)));
    awaitApplied(6);
  }

  @Test
  void acksAreCoalescedAndCarryDurableSequencesInOrder() {
    start(options().ackInterval(Duration.ofMillis(200)));
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    for (long seq = 1; seq <= 50; seq++) {
      s.send(singles(seq, seq));
    }
    awaitApplied(50);
    await().atMost(Duration.ofSeconds(10)).until(() -> replica.status().ackedSequence() == 50);
    List<Long> acked = primary.acks.stream().map(Received::sequence).toList();
    assertThat(acked).hasSizeLessThan(10).isSorted().last().isEqualTo(50L);
    assertThat(replica.status().durableSequence()).isEqualTo(50);
    assertThat(primary.acks).allSatisfy(a -> assertThat(a.sessionId()).isEqualTo(s.sessionId));
  }

  @Test
  void acksAreLazyUntilThePrimaryAsksThenPrompt() {
    start(options().ackInterval(Duration.ofMillis(2)).lazyAckInterval(Duration.ofSeconds(30)));
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 5));
    awaitApplied(5);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> primary.acks.isEmpty()); // nobody asked: no ack

    // The primary asks (a write waits for this replica): an empty message with the flag.
    s.send(WALStreamResponse.newBuilder().setAckRequested(true).setPrimaryLastSequence(5).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> replica.status().ackedSequence() == 5);

    // Entries that come with the request are acknowledged promptly too.
    s.send(
        WALStreamResponse.newBuilder()
            .addAllEntries(singles(6, 8))
            .setAckRequested(true)
            .setPrimaryLastSequence(8)
            .build());
    await().atMost(Duration.ofSeconds(5)).until(() -> replica.status().ackedSequence() == 8);

    // Then lazy again.
    s.send(singles(9, 9));
    awaitApplied(9);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> replica.status().ackedSequence() == 8);
  }

  @Test
  void anAckThePrimaryAsksForGoesOutAtOnceWhenNothingElseIsQueued() {
    // An interval no test waits out: the ack can only come from asking with nothing queued.
    start(options().ackInterval(Duration.ofSeconds(60)).lazyAckInterval(Duration.ofSeconds(60)));
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(
        WALStreamResponse.newBuilder()
            .addAllEntries(singles(1, 3))
            .setAckRequested(true)
            .setPrimaryLastSequence(3)
            .build());
    await().atMost(Duration.ofSeconds(5)).until(() -> replica.status().ackedSequence() == 3);
    s.send(singles(4, 4));
    awaitApplied(4);
    s.send(WALStreamResponse.newBuilder().setAckRequested(true).setPrimaryLastSequence(4).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> replica.status().ackedSequence() == 4);
    assertThat(replica.status().durableSequence()).isEqualTo(4);
  }

  @Test
  void stopSyncsAndAcknowledgesWhatWasApplied() {
    start(options().ackInterval(Duration.ofSeconds(30)));
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 5));
    awaitApplied(5);
    assertThat(primary.acks).isEmpty();
    replica.stop();
    assertThat(primary.acks).containsExactly(new Received(5, s.sessionId));
    assertThat(replica.getStateString()).isEqualTo("STOPPED");
    assertThat(replica.status().running()).isFalse();
    assertThat(db.wal().durableSequence()).isEqualTo(5);
    await().atMost(Duration.ofSeconds(5)).until(s::cancelled);
  }

  @Test
  void aRestartedReplicaResumesFromItsOwnPositionWithTheSameId() {
    start(options());
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 10));
    awaitApplied(10);
    String id = replica.replicaId();
    replica.stop();
    db.close();

    db = KevoDB.open(dir);
    start(options());
    ReplicaFakePrimary.Stream s2 = primary.awaitStream();
    assertThat(s2.request.getStartSequence()).isEqualTo(11);
    assertThat(s2.request.getReplicaId()).isEqualTo(id);
    assertThat(replica.getLastAppliedSequence()).isEqualTo(10);
    s2.send(singles(11, 12));
    awaitApplied(12);
    assertThat(value("k1")).isEqualTo("v1");
    assertThat(value("k12")).isEqualTo("v12");
    assertThat(replica.status().duplicatesIgnored()).isZero();
  }

  @Test
  void heartbeatsReportThePrimarysPositionAndLag() {
    start(options());
    ReplicaFakePrimary.Stream s = primary.awaitStream();
    s.send(singles(1, 2));
    awaitApplied(2);
    s.send(ReplicaEntries.heartbeat(40));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> replica.status().primaryLastSequence() == 40);
    ReplicaStatus st = replica.status();
    assertThat(st.lagEntries()).isEqualTo(38);
    assertThat(st.lagMillis()).isGreaterThanOrEqualTo(0);
    assertThat(st.state()).isEqualTo(ReplicaState.WAITING_FOR_DATA);
  }
}
