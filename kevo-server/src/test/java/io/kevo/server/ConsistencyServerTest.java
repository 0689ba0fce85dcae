package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.kevo.engine.ReadOptions;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.TxPutRequest;
import io.kevo.wire.AckLevel;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import io.kevo.wire.WireMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Acknowledgement levels, min-replicas-to-write and read-your-writes against a real primary and
 * real replicas on 127.0.0.1 in this JVM.
 */
class ConsistencyServerTest extends LocalNodesFixture {
  private static final Duration ACK_TIMEOUT = Duration.ofMillis(500);

  /**
   * For tests whose writes must be confirmed, or must not wait: so long that a loaded machine never
   * reaches it, and a write that returns well within it did not wait it out.
   */
  private static final Duration LONG_ACK_TIMEOUT = Duration.ofSeconds(20);

  private KevoServer primary(ServerOptions.Builder extra) {
    return primary(extra, ACK_TIMEOUT);
  }

  private KevoServer primary(ServerOptions.Builder extra, Duration ackTimeout) {
    return node("primary", extra.role(NodeRole.PRIMARY).replicationAckTimeout(ackTimeout));
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private KevoServer replica(String name, KevoServer primary) {
    return node(
        name,
        ServerOptions.builder()
            .role(NodeRole.REPLICA)
            .primaryAddress(primary.address())
            .readWaitTimeout(Duration.ofMillis(400)));
  }

  /** What {@code health} reports for {@code service} now. */
  private static ServingStatus serving(HealthGrpc.HealthBlockingStub health, String service) {
    return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  /** A stub for one call: sends {@code headers}, captures the trailers into {@code trailers}. */
  private static KevoServiceGrpc.KevoServiceBlockingStub call(
      ManagedChannel ch, Metadata headers, AtomicReference<Metadata> trailers) {
    return KevoServiceGrpc.newBlockingStub(ch)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers));
  }

  /** The primary's own figures in {@code GetNodeInfo}. */
  private static PrimarySide primarySide(KevoServiceGrpc.KevoServiceBlockingStub stub) {
    return ReplicationStatus.of(stub.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()))
        .primary()
        .orElseThrow();
  }

  private static Metadata ack(String level) {
    Metadata m = new Metadata();
    if (level != null) {
      m.put(WireMetadata.ACK, level);
    }
    return m;
  }

  private static Metadata minSequence(long s) {
    Metadata m = new Metadata();
    m.put(WireMetadata.MIN_SEQUENCE, Long.toString(s));
    return m;
  }

  private static long put(ManagedChannel ch, String ackLevel, String key, String value) {
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    call(ch, ack(ackLevel), trailers)
        .put(PutRequest.newBuilder().setKey(b(key)).setValue(b(value)).build());
    // Every node here is in its first term: epoch 1.
    assertThat(trailers.get().get(WireMetadata.EPOCH)).isEqualTo("1");
    return Long.parseLong(trailers.get().get(WireMetadata.SEQUENCE));
  }

  private static void awaitConnected(KevoServer primary, int n) {
    await().atMost(Duration.ofSeconds(20)).until(() -> primary.primary().connectedReplicas() == n);
  }

  @Test
  void aTokenBeyondThePrimarysOwnLogIsRefusedNotReadBackInTime() {
    KevoServer primary = primary(ServerOptions.builder());
    ManagedChannel ch = channel(primary);
    long seq = put(ch, null, "k", "v");
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    // A token another node issued (a newer primary after a failover): this node lacks it.
    assertThatThrownBy(
            () ->
                call(ch, minSequence(seq + 10), trailers)
                    .get(GetRequest.newBuilder().setKey(b("k")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .contains("log ends at sequence " + seq)
                  .contains("read another node");
              assertThat(e.getTrailers().get(WireMetadata.APPLIED_SEQUENCE)).isEqualTo("" + seq);
            });
    var scan =
        call(ch, minSequence(seq + 10), trailers)
            .scan(io.kevo.proto.ScanRequest.newBuilder().build());
    assertThatThrownBy(scan::hasNext)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    // Its own token reads at once.
    assertThat(
            call(ch, minSequence(seq), trailers)
                .get(GetRequest.newBuilder().setKey(b("k")).build())
                .getValue()
                .toStringUtf8())
        .isEqualTo("v");
  }

  @Test
  void writeAtReplicaLevelReturnsOnlyOnceTheReplicaMadeItDurable() {
    KevoServer primary = primary(ServerOptions.builder().replicationAck(AckLevel.replica(1)));
    KevoServer replica = replica("r1", primary);
    awaitConnected(primary, 1);
    ManagedChannel ch = channel(primary);
    for (int i = 0; i < 20; i++) {
      long seq = put(ch, null, "k" + i, "v" + i);
      // At the moment the write returns, the replica has it on disk (it acks its durable point).
      assertThat(replica.replica().status().durableSequence()).isGreaterThanOrEqualTo(seq);
      assertThat(replica.db().get(("k" + i).getBytes(StandardCharsets.UTF_8))).isPresent();
    }
    assertThat(primary.primary().ackWaitStats().confirmed()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void replicaLevelWithTheOnlyReplicaStoppedTimesOutWithAPreciseError() {
    KevoServer primary = primary(ServerOptions.builder().replicationAck(AckLevel.replica(1)));
    KevoServer replica = replica("r1", primary);
    awaitConnected(primary, 1);
    ManagedChannel ch = channel(primary);
    put(ch, null, "before", "1");
    replica.close();
    awaitConnected(primary, 0);

    AtomicReference<Metadata> trailers = new AtomicReference<>();
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                call(ch, ack(null), trailers)
                    .put(PutRequest.newBuilder().setKey(b("lost?")).setValue(b("2")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
              assertThat(e.getStatus().getDescription())
                  .contains("on the primary but was not confirmed by 1 replica(s) within 500 ms")
                  .contains("0 acknowledged");
            });
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).isBetween(450L, 3_000L);
    // The write stays committed on the primary, and the error says at which sequence.
    long seq = Long.parseLong(trailers.get().get(WireMetadata.SEQUENCE));
    assertThat(seq).isEqualTo(primary.db().latestSequence());
    assertThat(trailers.get().get(WireMetadata.ACK_REPLICAS)).isEqualTo("0");
    byte[] key = "lost?".getBytes(StandardCharsets.UTF_8);
    assertThat(primary.db().get(key, ReadOptions.atLeast(seq))).isPresent();
    // Reads without a token do not see it while no replica has it (a failover could lose it).
    assertThat(primary.db().get(key)).isEmpty();
    assertThat(primary.primary().ackWaitStats().notConfirmed()).isEqualTo(1);
  }

  /** A primary at {@code replica:1} with a timeout generous enough for a loaded machine. */
  private KevoServer patientPrimary() {
    return node(
        "primary",
        ServerOptions.builder()
            .role(NodeRole.PRIMARY)
            .replicationAck(AckLevel.replica(1))
            .replicationAckTimeout(Duration.ofSeconds(20)));
  }

  @Test
  void atReplicaLevelThePrimaryServesOnlyConfirmedWritesAndAFurtherTokenWaitsForConfirmation() {
    KevoServer primary = patientPrimary();
    KevoServer replica = replica("r1", primary);
    awaitConnected(primary, 1);
    ManagedChannel ch = channel(primary);
    long confirmed = put(ch, null, "k", "confirmed");
    replica.close();
    awaitConnected(primary, 0);
    // Committed, never confirmed: an async write here (a replica:1 write would time out the same).
    long unconfirmed = put(ch, "async", "k", "unconfirmed");
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    var stub = KevoServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);

    // Get, Scan and a transaction see the confirmed state.
    GetResponse g = stub.get(GetRequest.newBuilder().setKey(b("k")).build());
    assertThat(g.getValue().toStringUtf8()).isEqualTo("confirmed");
    var scanned = stub.scan(ScanRequest.getDefaultInstance());
    assertThat(scanned.next().getValue().toStringUtf8()).isEqualTo("confirmed");
    assertThat(scanned.hasNext()).isFalse();
    String tx =
        stub.beginTransaction(BeginTransactionRequest.newBuilder().setReadOnly(true).build())
            .getTransactionId();
    assertThat(
            stub.txGet(
                    io.kevo.proto.TxGetRequest.newBuilder()
                        .setTransactionId(tx)
                        .setKey(b("k"))
                        .build())
                .getValue()
                .toStringUtf8())
        .isEqualTo("confirmed");

    // A token below the confirmed sequence reads the confirmed state, and the sequence it reports
    // is no more than that: a later read with it must not see unconfirmed writes.
    GetResponse low =
        call(ch, minSequence(1), trailers).get(GetRequest.newBuilder().setKey(b("k")).build());
    assertThat(low.getValue().toStringUtf8()).isEqualTo("confirmed");
    assertThat(trailers.get().get(WireMetadata.SEQUENCE)).isEqualTo("" + confirmed);
    // A token beyond the confirmed sequence (the writer's own, its write confirmed by no replica)
    // waits for a replica to confirm it, up to the read wait timeout (1 s), and is refused after:
    // read at once, it would show a write a failover can take back, and a read without the token
    // would then go back in time.
    for (String read : new String[] {"get", "scan"}) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> {
                var stubWithToken = call(ch, minSequence(unconfirmed), trailers);
                if (read.equals("get")) {
                  stubWithToken.get(GetRequest.newBuilder().setKey(b("k")).build());
                } else {
                  stubWithToken.scan(ScanRequest.getDefaultInstance()).hasNext();
                }
              })
          .as(read)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription())
                    .startsWith("no replica has confirmed sequence " + unconfirmed)
                    .contains("(confirmed: " + confirmed + ", waited ");
              });
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
          .as(read + " waited the read wait timeout")
          .isGreaterThanOrEqualTo(900);
      assertThat(trailers.get().get(WireMetadata.APPLIED_SEQUENCE)).isEqualTo("" + confirmed);
    }

    PrimarySide info = primarySide(stub);
    assertThat(info.readsConfirmedOnly()).hasValue(true);
    assertThat(info.confirmedSequence()).hasValue(confirmed);
    assertThat(info.readSequence()).hasValue(confirmed);
    assertThat(info.readsRefused()).hasValue(false);
    assertThat(stub.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()).getLastSequence())
        .isEqualTo(unconfirmed);

    // Once a replica is back and confirms it, the token's read returns the write, and every later
    // read, with a lower token or none, reads at least there: the read point never goes back.
    replica("r1", primary);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        call(ch, minSequence(unconfirmed), trailers)
                            .get(GetRequest.newBuilder().setKey(b("k")).build())
                            .getValue()
                            .toStringUtf8())
                    .isEqualTo("unconfirmed"));
    assertThat(trailers.get().get(WireMetadata.SEQUENCE)).isEqualTo("" + unconfirmed);
    assertThat(stub.get(GetRequest.newBuilder().setKey(b("k")).build()).getValue().toStringUtf8())
        .isEqualTo("unconfirmed");
    assertThat(
            call(ch, minSequence(1), trailers)
                .get(GetRequest.newBuilder().setKey(b("k")).build())
                .getValue()
                .toStringUtf8())
        .isEqualTo("unconfirmed");
    var after = call(ch, minSequence(unconfirmed), trailers).scan(ScanRequest.getDefaultInstance());
    assertThat(after.next().getValue().toStringUtf8()).isEqualTo("unconfirmed");
  }

  @Test
  void aRestartedPrimaryRefusesReadsUntilAReplicaConfirmsWhatItHolds() {
    KevoServer primary = patientPrimary();
    int port = primary.port();
    KevoServer replica = replica("r1", primary);
    awaitConnected(primary, 1);
    ManagedChannel ch = channel(primary);
    put(ch, null, "k", "confirmed");
    replica.close();
    awaitConnected(primary, 0);
    long unconfirmed = put(ch, "async", "k", "unconfirmed");
    primary.close();

    KevoServer restarted =
        node(
            "primary",
            ServerOptions.builder()
                .role(NodeRole.PRIMARY)
                .replicationAck(AckLevel.replica(1))
                .listen("127.0.0.1", port));
    ManagedChannel ch2 = channel(restarted);
    var stub = KevoServiceGrpc.newBlockingStub(ch2).withDeadlineAfter(30, TimeUnit.SECONDS);
    var health = HealthGrpc.newBlockingStub(ch2).withDeadlineAfter(10, TimeUnit.SECONDS);
    String why =
        "this primary holds writes up to sequence "
            + unconfirmed
            + " its replicas have not confirmed yet (confirmed: 0); reads resume once a replica"
            + " has them";
    assertThatThrownBy(() -> stub.get(GetRequest.newBuilder().setKey(b("k")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo(why);
            });
    assertThatThrownBy(() -> stub.scan(ScanRequest.getDefaultInstance()).hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThatThrownBy(
            () ->
                stub.beginTransaction(
                    BeginTransactionRequest.newBuilder().setReadOnly(true).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(serving(health, KevoServer.READS_HEALTH_SERVICE))
        .isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(primarySide(stub).readsRefused()).hasValue(true);
    assertThat(primarySide(stub).readRefusal()).hasValue(why);

    // The replica comes back, gets the entry and confirms it: reads resume and see it.
    replica("r1", restarted);
    await().atMost(Duration.ofSeconds(20)).until(() -> restarted.primary().readRefusal() == null);
    assertThat(stub.get(GetRequest.newBuilder().setKey(b("k")).build()).getValue().toStringUtf8())
        .isEqualTo("unconfirmed");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serving(health, KevoServer.READS_HEALTH_SERVICE) == ServingStatus.SERVING);
  }

  @Test
  void allWaitsForEveryConnectedReplica() {
    KevoServer primary =
        primary(ServerOptions.builder().replicationAck(AckLevel.ALL), LONG_ACK_TIMEOUT);
    KevoServer r1 = replica("r1", primary);
    KevoServer r2 = replica("r2", primary);
    awaitConnected(primary, 2);
    ManagedChannel ch = channel(primary);
    for (int i = 0; i < 10; i++) {
      long seq = put(ch, null, "k" + i, "v");
      assertThat(r1.replica().status().durableSequence()).isGreaterThanOrEqualTo(seq);
      assertThat(r2.replica().status().durableSequence()).isGreaterThanOrEqualTo(seq);
    }
    // BatchWrite and a transaction commit wait the same way and report their last sequence.
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    call(ch, ack(null), trailers)
        .batchWrite(
            BatchWriteRequest.newBuilder()
                .addOperations(Operation.newBuilder().setKey(b("x")).setValue(b("1")))
                .addOperations(Operation.newBuilder().setKey(b("y")).setValue(b("2")))
                .build());
    long batchSeq = Long.parseLong(trailers.get().get(WireMetadata.SEQUENCE));
    assertThat(batchSeq).isEqualTo(primary.db().latestSequence());
    assertThat(trailers.get().get(WireMetadata.ACK_REPLICAS)).isEqualTo("2");
    assertThat(r1.db().latestSequence()).isGreaterThanOrEqualTo(batchSeq);
    assertThat(r2.db().latestSequence()).isGreaterThanOrEqualTo(batchSeq);

    var stub = KevoServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
    String tx =
        stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(tx).setKey(b("t")).setValue(b("1")).build());
    call(ch, ack(null), trailers)
        .commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(tx).build());
    long txSeq = Long.parseLong(trailers.get().get(WireMetadata.SEQUENCE));
    assertThat(txSeq).isEqualTo(primary.db().latestSequence());
    assertThat(r1.db().get("t".getBytes(StandardCharsets.UTF_8))).isPresent();
    assertThat(r2.db().get("t".getBytes(StandardCharsets.UTF_8))).isPresent();

    // A replica that goes away is not waited for: the write does not hang until the timeout.
    r2.close();
    awaitConnected(primary, 1);
    long start = System.nanoTime();
    put(ch, null, "after", "1");
    assertThat(millisSince(start)).isLessThan(LONG_ACK_TIMEOUT.toMillis() / 2);
  }

  @Test
  void kevoAckMetadataOverridesTheServerDefault() {
    KevoServer primary =
        primary(ServerOptions.builder().replicationAck(AckLevel.replica(1)), LONG_ACK_TIMEOUT);
    KevoServer replica = replica("r1", primary);
    awaitConnected(primary, 1);
    replica.close();
    awaitConnected(primary, 0);
    ManagedChannel ch = channel(primary);
    // The default would wait the timeout out; async returns at once.
    long start = System.nanoTime();
    put(ch, "async", "a", "1");
    assertThat(millisSince(start)).isLessThan(LONG_ACK_TIMEOUT.toMillis() / 2);

    // And the other way round: a primary defaulting to async, a request asking replica:1.
    KevoServer p2 =
        node(
            "p2",
            ServerOptions.builder().role(NodeRole.PRIMARY).replicationAckTimeout(ACK_TIMEOUT));
    ManagedChannel ch2 = channel(p2);
    put(ch2, null, "a", "1");
    assertThatThrownBy(() -> put(ch2, "replica:1", "b", "2"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThatThrownBy(() -> put(ch2, "replica:zero", "b", "2"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("kevo-ack");
            });
  }

  @Test
  void standaloneRefusesReplicaLevelBeforeWriting() {
    KevoServer s = node("solo", ServerOptions.builder());
    ManagedChannel ch = channel(s);
    long before = s.db().latestSequence();
    assertThatThrownBy(() -> put(ch, "replica:1", "k", "v"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThat(s.db().latestSequence()).isEqualTo(before);
    assertThat(put(ch, "all", "k", "v")).isEqualTo(before + 1); // no replica: met at once
    assertThatThrownBy(() -> ServerOptions.builder().replicationAck(AckLevel.ALL).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void minReplicasToWriteRefusesWritesAndReportsItInHealthAndStatus() {
    KevoServer primary = primary(ServerOptions.builder().minReplicasToWrite(1));
    ManagedChannel ch = channel(primary);
    var health = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    long before = primary.db().latestSequence();
    assertThatThrownBy(() -> put(ch, null, "k", "v"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription())
                  .contains("0 replica(s) connected, --min-replicas-to-write is 1");
            });
    assertThat(primary.db().latestSequence()).isEqualTo(before);
    assertThat(serving(health, KevoServer.WRITES_HEALTH_SERVICE))
        .isEqualTo(ServingStatus.NOT_SERVING);
    // Reads still pass the node's own health check.
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    var stub = KevoServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    PrimarySide refusing = primarySide(stub);
    assertThat(refusing.writesRefused()).hasValue(true);
    assertThat(refusing.minReplicasToWrite()).hasValue(1);
    assertThat(refusing.connectedReplicas()).hasValue(0);

    replica("r1", primary);
    awaitConnected(primary, 1);
    put(ch, null, "k", "v");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serving(health, KevoServer.WRITES_HEALTH_SERVICE) == ServingStatus.SERVING);
    assertThat(primarySide(stub).writesRefused()).hasValue(false);
  }

  @Test
  void everyWriteReportsItsIncreasingCommitSequence() {
    KevoServer s = node("solo", ServerOptions.builder());
    ManagedChannel ch = channel(s);
    long last = s.db().latestSequence();
    for (int i = 0; i < 50; i++) {
      long seq = put(ch, null, "k" + (i % 7), "v" + i);
      assertThat(seq).isGreaterThan(last).isEqualTo(s.db().latestSequence());
      last = seq;
    }
  }

  @Test
  void replicaHoldsAReadUntilItAppliedTheMinimumSequence() throws Exception {
    KevoServer primary = primary(ServerOptions.builder());
    KevoServer replica = replica("r1", primary);
    awaitConnected(primary, 1);
    ManagedChannel p = channel(primary);
    ManagedChannel r = channel(replica);
    long seq = put(p, null, "k0", "v0");
    await().atMost(Duration.ofSeconds(20)).until(() -> replica.db().latestSequence() >= seq);

    // Ask for the next sequence before it exists: the replica holds the read, the write releases
    // it, and the answer sees the write.
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    ListenableFuture<GetResponse> read =
        KevoServiceGrpc.newFutureStub(r)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(minSequence(seq + 1)),
                MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
            .get(GetRequest.newBuilder().setKey(b("k1")).build());
    await()
        .during(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !read.isDone());
    put(p, null, "k1", "v1");
    GetResponse got = read.get(5, TimeUnit.SECONDS);
    assertThat(got.getValue().toStringUtf8()).isEqualTo("v1");
    assertThat(Long.parseLong(trailers.get().get(WireMetadata.SEQUENCE)))
        .isGreaterThanOrEqualTo(seq + 1);

    // A minimum it never reaches: UNAVAILABLE after the read wait timeout, with its position.
    long start = System.nanoTime();
    AtomicReference<Metadata> t2 = new AtomicReference<>();
    assertThatThrownBy(
            () ->
                call(r, minSequence(seq + 1000), t2)
                    .get(GetRequest.newBuilder().setKey(b("k1")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getTrailers().get(WireMetadata.APPLIED_SEQUENCE))
                  .isEqualTo(Long.toString(replica.replica().getLastAppliedSequence()));
            });
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(350L, 3_000L);
    // A scan is refused at once; the primary answers at once any minimum its log holds, and
    // refuses one beyond it (another node issued it) rather than read back in time.
    assertThatThrownBy(
            () ->
                call(r, minSequence(seq + 1000), t2)
                    .scan(ScanRequest.getDefaultInstance())
                    .hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(
            call(p, minSequence(seq), t2)
                .get(GetRequest.newBuilder().setKey(b("k1")).build())
                .getFound())
        .isTrue();
    assertThatThrownBy(
            () ->
                call(p, minSequence(seq + 1000), t2)
                    .get(GetRequest.newBuilder().setKey(b("k1")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    ReplicaSide info =
        ReplicationStatus.of(
                KevoServiceGrpc.newBlockingStub(r)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()))
            .replica()
            .orElseThrow();
    assertThat(info.readWaitTimeouts()).hasValue(1);
    assertThat(info.readWaits()).hasValue(2);
  }
}
