package io.kevo.replication.snapshot;

import static io.kevo.replication.TestNodes.contents;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.ServedPrimary;
import io.kevo.replication.SnapshotTransferStatus;
import io.kevo.replication.replica.Replica;
import io.kevo.wire.WireMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot bootstrap with a real {@link Primary} and real {@link Replica}s over in-process gRPC: an
 * empty replica of a primary whose log was trimmed, a replica whose position is no longer retained,
 * a damaged chunk, the cap on concurrent transfers, and writes that go on throughout.
 */
@Timeout(120)
class BootstrapTest {
  /** Small memtables and segments: a few thousand writes make tables and trim the log. */
  private static final Options DB =
      Options.builder()
          .memtableSize(128 << 10)
          .segmentSize(64 << 10)
          .targetFileSize(128 << 10)
          .syncMode(SyncMode.NONE)
          .build();

  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  private KevoDB primaryDb;
  private ServedPrimary served;
  private final Map<String, KevoDB> replicaDbs = new LinkedHashMap<>();
  private final Map<String, Replica> replicas = new LinkedHashMap<>();

  @AfterEach
  void tearDown() throws Exception {
    replicas.values().forEach(Replica::stop);
    if (served != null) {
      served.close();
    }
    replicaDbs.values().forEach(KevoDB::close);
    if (primaryDb != null) {
      primaryDb.close();
    }
  }

  /** Options with a small in-memory tail: a position the log no longer holds is refused. */
  private void startPrimary(PrimaryOptions options, ServerInterceptor... interceptors)
      throws Exception {
    primaryDb = KevoDB.open(dir.resolve("primary"), DB);
    served = ServedPrimary.open(primaryDb, options, interceptors);
  }

  private Replica startReplica(String id) {
    KevoDB db = replicaDbs.computeIfAbsent(id, k -> KevoDB.open(dir.resolve(k), DB));
    Replica r =
        new Replica(
            db,
            () -> served.channel(),
            ReplicaOptions.builder()
                .replicaId(id)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .build());
    replicas.put(id, r);
    r.start();
    return r;
  }

  private void stopReplica(String id) {
    replicas.remove(id).stop();
  }

  /** Writes {@code n} puts of 200-byte values under {@code prefix}; returns the last sequence. */
  private long write(String prefix, int from, int n) {
    long last = 0;
    for (int i = from; i < from + n; i++) {
      last = primaryDb.put(b(prefix + String.format("%06d", i)), b(("v" + i).repeat(30)));
    }
    return last;
  }

  private void awaitConverged(Replica r, String id) {
    await().atMost(CONVERGE).until(() -> r.getLastAppliedSequence() == primaryDb.latestSequence());
    assertThat(contents(replicaDbs.get(id))).containsExactlyEntriesOf(contents(primaryDb));
  }

  @Test
  void anEmptyReplicaOfATrimmedPrimaryBootstrapsWhileWritesGoOnAndNeverBootstrapsAgain()
      throws Exception {
    // A byte limit of 0: an ordinary hold would be dropped at once; the one after a bootstrap is
    // exempt until the replica caught up, so it never loops back into a bootstrap.
    startPrimary(
        PrimaryOptions.builder()
            .tailBytes(16 << 10)
            .retentionBytes(0)
            .snapshotChunkBytes(16 << 10)
            .build());
    write("k", 0, 5000);
    primaryDb.flush();
    assertThat(primaryDb.wal().firstRetainedSequence()).isGreaterThan(1);

    AtomicBoolean writing = new AtomicBoolean(true);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; writing.get(); i++) {
                write("during", i % 3000, 1);
              }
            });
    Replica r = startReplica("fresh");
    await().atMost(CONVERGE).until(() -> r.status().bootstrapsCompleted() == 1);
    Thread.sleep(300); // streaming after the bootstrap, with writes and flushes going on
    writing.set(false);
    writer.get(10, TimeUnit.SECONDS);
    awaitConverged(r, "fresh");

    ReplicaStatus st = r.status();
    assertThat(st.bootstrapsCompleted()).isEqualTo(1);
    assertThat(st.bootstrap()).isNull();
    assertThat(st.needsBootstrap()).isFalse();
    // It applied only what came after the snapshot, not the 5000 writes before it.
    assertThat(st.entriesApplied()).isLessThan(primaryDb.latestSequence() - 4000);
    SnapshotTransferStatus ts = served.primary().snapshotTransfers();
    assertThat(ts.completed()).isEqualTo(1);
    assertThat(ts.active()).isZero();
    assertThat(ts.bytesSent()).isPositive();
    assertThat(dir.resolve("fresh").resolve("checkpoint-staging")).doesNotExist();
  }

  @Test
  void aReplicaWhosePositionIsNoLongerRetainedBootstrapsAndLosesWhatThePrimaryDeleted()
      throws Exception {
    startPrimary(PrimaryOptions.builder().tailBytes(16 << 10).retentionBytes(64 << 10).build());
    write("k", 0, 1000);
    Replica r = startReplica("away");
    awaitConverged(r, "away");
    stopReplica("away");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !served.primary().replicas().get(0).connected());

    for (int i = 0; i < 1000; i += 2) {
      primaryDb.delete(b("k" + String.format("%06d", i)));
    }
    write("more", 0, 4000);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> served.primary().replicas().get(0).holdDropped());
    primaryDb.flush();
    long acked = replicaDbs.get("away").latestSequence();
    assertThat(primaryDb.wal().firstRetainedSequence()).isGreaterThan(acked + 1);

    Replica back = startReplica("away");
    awaitConverged(back, "away");
    assertThat(back.status().bootstrapsCompleted()).isEqualTo(1);
    assertThat(replicaDbs.get("away").get(b("k000000"))).isEmpty();
    assertThat(replicaDbs.get("away").get(b("k000001"))).isPresent();
    // The primary holds the log for it again, from where it acknowledged.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(served.primary().replicas().get(0).lastAckedSequence())
                    .isEqualTo(primaryDb.latestSequence()));
  }

  @Test
  void aDamagedChunkIsCaughtByItsChecksumAndTheTransferStartsOver() throws Exception {
    FlipOneChunkByte flip = new FlipOneChunkByte();
    startPrimary(
        PrimaryOptions.builder().tailBytes(16 << 10).snapshotChunkBytes(8 << 10).build(), flip);
    write("k", 0, 3000);
    primaryDb.flush();
    Replica r = startReplica("damaged");
    awaitConverged(r, "damaged");
    assertThat(flip.flipped.get()).isEqualTo(1);
    assertThat(r.status().checksumFailures()).isEqualTo(1);
    assertThat(r.status().bootstrapsCompleted()).isEqualTo(1);
    assertThat(served.primary().snapshotTransfers().completed()).isEqualTo(1);
    assertThat(served.primary().snapshotTransfers().failed()).isEqualTo(1);
  }

  @Test
  void atMostTheConfiguredNumberOfTransfersRunAndAFreedSlotIsTakenByTheWaitingReplica()
      throws Exception {
    startPrimary(
        PrimaryOptions.builder()
            .tailBytes(16 << 10)
            .maxConcurrentBootstraps(1)
            .snapshotChunkBytes(4 << 10)
            .build());
    write("k", 0, 3000);
    primaryDb.flush();
    long trimmedTo = primaryDb.wal().firstRetainedSequence();

    // A client that takes the header and one chunk, then reads no more: it keeps the only slot.
    SlowFetch slow = new SlowFetch();
    WALReplicationServiceGrpc.newStub(served.channel())
        .fetchSnapshot(SnapshotRequest.newBuilder().setReplicaId("slow").build(), slow);
    SnapshotChunk header = slow.chunks.poll(10, TimeUnit.SECONDS);
    assertThat(header).isNotNull();
    assertThat(header.getHeader().getSequence()).isEqualTo(primaryDb.latestSequence());
    assertThat(served.primary().snapshotTransfers().active()).isEqualTo(1);

    // The log after the snapshot is held while the transfer runs.
    write("more", 0, 2000);
    primaryDb.flush();
    assertThat(primaryDb.wal().firstRetainedSequence())
        .isLessThanOrEqualTo(header.getHeader().getSequence() + 1);

    // A second request is refused explicitly.
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    Status refused =
        Status.fromThrowable(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    WALReplicationServiceGrpc.newBlockingStub(served.channel())
                        .withInterceptors(
                            MetadataUtils.newCaptureMetadataInterceptor(
                                new AtomicReference<>(), trailers))
                        .fetchSnapshot(SnapshotRequest.newBuilder().setReplicaId("x").build())
                        .hasNext()));
    assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(trailers.get().get(WireMetadata.REPL_ERROR)).isEqualTo("BOOTSTRAP_LIMIT");

    // A replica that needs a bootstrap retries until the slot is free.
    Replica r = startReplica("waiting");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> served.primary().snapshotTransfers().refused() >= 3);
    assertThat(r.status().bootstrapsCompleted()).isZero();
    slow.cancel();
    awaitConverged(r, "waiting");
    SnapshotTransferStatus ts = served.primary().snapshotTransfers();
    assertThat(ts.failed()).isEqualTo(1);
    assertThat(ts.completed()).isEqualTo(1);
    // The cancelled transfer released its hold: the log can move past it again.
    write("after", 0, 2000);
    primaryDb.flush();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> primaryDb.wal().firstRetainedSequence() > trimmedTo);
    assertThat(Files.exists(dir.resolve("waiting").resolve("checkpoint-staging"))).isFalse();
  }

  /**
   * What {@code kevo backup} relies on: a transfer requested without a replica id is one-shot. The
   * primary pins the log while it sends, then releases it (nothing registered, nothing held), so a
   * backup never makes it keep WAL; a named requester, by contrast, keeps the log held.
   */
  @Test
  void aSnapshotFetchedWithoutAReplicaIdLeavesNoHoldBehind() throws Exception {
    startPrimary(PrimaryOptions.builder().tailBytes(16 << 10).snapshotChunkBytes(16 << 10).build());
    write("k", 0, 3000);
    primaryDb.flush();

    long anonymous = fetchWholeSnapshot("");
    write("more", 0, 3000);
    primaryDb.flush();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> primaryDb.wal().firstRetainedSequence() > anonymous + 1);
    assertThat(served.primary().replicas()).isEmpty();
    assertThat(served.primary().snapshotTransfers().completed()).isEqualTo(1);

    long named = fetchWholeSnapshot("a-replica");
    write("again", 0, 3000);
    primaryDb.flush();
    assertThat(primaryDb.wal().firstRetainedSequence()).isLessThanOrEqualTo(named + 1);
    assertThat(served.primary().replicas()).hasSize(1);
  }

  /** Reads a whole snapshot stream for {@code replicaId}; returns the snapshot's sequence. */
  private long fetchWholeSnapshot(String replicaId) {
    var it =
        WALReplicationServiceGrpc.newBlockingStub(served.channel())
            .fetchSnapshot(SnapshotRequest.newBuilder().setReplicaId(replicaId).build());
    long sequence = it.next().getHeader().getSequence();
    boolean trailer = false;
    while (it.hasNext()) {
      trailer |= it.next().hasTrailer();
    }
    assertThat(trailer).isTrue();
    return sequence;
  }

  /** Reads the header and asks for nothing more. */
  private static final class SlowFetch
      implements ClientResponseObserver<SnapshotRequest, SnapshotChunk> {
    final LinkedBlockingQueue<SnapshotChunk> chunks = new LinkedBlockingQueue<>();
    private ClientCallStreamObserver<SnapshotRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<SnapshotRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(SnapshotChunk value) {
      chunks.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    void cancel() {
      call.cancel("test: done holding the slot", null);
    }
  }

  /** Flips one byte of the data of the second data chunk of the first transfer. */
  private static final class FlipOneChunkByte implements ServerInterceptor {
    final AtomicInteger flipped = new AtomicInteger();
    private final AtomicInteger dataChunks = new AtomicInteger();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            @SuppressWarnings("unchecked")
            public void sendMessage(R message) {
              if (message instanceof SnapshotChunk c
                  && c.hasData()
                  && dataChunks.incrementAndGet() == 2
                  && flipped.compareAndSet(0, 1)) {
                byte[] data = c.getData().getData().toByteArray();
                data[data.length / 2] ^= 0x40;
                message =
                    (R)
                        c.toBuilder()
                            .setData(c.getData().toBuilder().setData(ByteString.copyFrom(data)))
                            .build();
              }
              super.sendMessage(message);
            }
          },
          headers);
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
