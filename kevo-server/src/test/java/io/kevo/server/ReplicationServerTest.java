package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.TxGetRequest;
import io.kevo.wire.ReplicaLink;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import io.kevo.wire.WireMetadata;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A primary and a replica as real servers on 127.0.0.1 in this JVM. */
class ReplicationServerTest extends LocalNodesFixture {
  private KevoServiceGrpc.KevoServiceBlockingStub stub(KevoServer s) {
    return KevoServiceGrpc.newBlockingStub(channel(s)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static String get(KevoServiceGrpc.KevoServiceBlockingStub stub, String key) {
    var r = stub.get(GetRequest.newBuilder().setKey(b(key)).build());
    return r.getFound() ? r.getValue().toStringUtf8() : null;
  }

  @Test
  void replicaFollowsThePrimaryServesReadsAndRedirectsWrites() {
    KevoServer primary = node("primary", ServerOptions.builder().role(NodeRole.PRIMARY));
    var p = stub(primary);
    p.put(PutRequest.newBuilder().setKey(b("before")).setValue(b("1")).build());

    KevoServer replica =
        node(
            "replica",
            ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()));
    var r = stub(replica);

    p.put(PutRequest.newBuilder().setKey(b("after")).setValue(b("2")).setSync(true).build());
    p.batchWrite(
        BatchWriteRequest.newBuilder()
            .addOperations(Operation.newBuilder().setKey(b("x")).setValue(b("3")))
            .addOperations(
                Operation.newBuilder().setType(Operation.Type.DELETE).setKey(b("before")))
            .build());
    long last = primary.db().latestSequence();
    await().atMost(Duration.ofSeconds(20)).until(() -> replica.db().latestSequence() == last);
    assertThat(get(r, "after")).isEqualTo("2");
    assertThat(get(r, "x")).isEqualTo("3");
    assertThat(get(r, "before")).isNull();

    // Writes are refused with the primary's client address; nothing is written on the replica.
    for (Runnable write :
        List.<Runnable>of(
            () -> r.put(PutRequest.newBuilder().setKey(b("w")).setValue(b("v")).build()),
            () -> r.delete(DeleteRequest.newBuilder().setKey(b("x")).build()),
            () ->
                r.batchWrite(
                    BatchWriteRequest.newBuilder()
                        .addOperations(Operation.newBuilder().setKey(b("w")).setValue(b("v")))
                        .build()),
            () -> r.beginTransaction(BeginTransactionRequest.getDefaultInstance()))) {
      assertThatThrownBy(write::run)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).contains(primary.address());
                assertThat(e.getTrailers().get(WireMetadata.PRIMARY)).isEqualTo(primary.address());
              });
    }
    assertThat(replica.db().latestSequence()).isEqualTo(last);
    // Read-only transactions work on a replica.
    String tx =
        r.beginTransaction(BeginTransactionRequest.newBuilder().setReadOnly(true).build())
            .getTransactionId();
    assertThat(
            r.txGet(TxGetRequest.newBuilder().setTransactionId(tx).setKey(b("x")).build())
                .getValue()
                .toStringUtf8())
        .isEqualTo("3");

    GetNodeInfoResponse pi = p.getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    assertThat(pi.getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.PRIMARY);
    assertThat(pi.getPrimaryAddress()).isEqualTo(primary.address());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                p.getNodeInfo(GetNodeInfoRequest.getDefaultInstance())
                        .getReplicas(0)
                        .getLastSequence()
                    == last);
    var info = p.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()).getReplicas(0);
    assertThat(info.getAddress()).isEqualTo(replica.address());
    assertThat(info.getAvailable()).isTrue();
    ReplicaLink link = ReplicaLink.of(info);
    assertThat(link.lagEntries()).hasValue(0);
    assertThat(link.replicaId()).isPresent();
    // The wire keys stay what they were before the status was typed (PROTOCOL: the map is fixed).
    assertThat(info.getMetaMap().keySet())
        .containsExactlyInAnyOrder(
            "replica_id",
            "lag_entries",
            "lag_ms",
            "bytes_sent_raw",
            "bytes_sent_wire",
            "compression_ratio",
            "entries_sent",
            "resends",
            "connects",
            "held_from",
            "hold_dropped");
    assertThat(p.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()).getReplicationMap().keySet())
        .containsExactlyInAnyOrder(
            "epoch",
            "epoch_term",
            "epoch_start_sequence",
            "sessions",
            "first_retained_sequence",
            "durable_sequence",
            "bytes_sent_raw",
            "bytes_sent_wire",
            "compression_ratio",
            "entries_sent",
            "responses_sent",
            "heartbeats_sent",
            "resends",
            "sessions_timed_out",
            "streams_refused",
            "holds_dropped",
            "ack_level",
            "ack_timeout_ms",
            "min_replicas_to_write",
            "connected_replicas",
            "writes_refused",
            "ack_waits",
            "ack_confirmed",
            "ack_not_confirmed",
            "ack_pending",
            "reads_confirmed_only",
            "reads_refused",
            "bootstraps_active",
            "bootstraps_completed",
            "bootstraps_failed",
            "bootstraps_refused",
            "bootstrap_bytes_sent");

    GetNodeInfoResponse ri = r.getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    assertThat(ri.getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.REPLICA);
    assertThat(ri.getPrimaryAddress()).isEqualTo(primary.address());
    assertThat(ri.getReadOnly()).isTrue();
    assertThat(ri.getLastSequence()).isEqualTo(last);
    ReplicaSide replicaSide = ReplicationStatus.of(ri).replica().orElseThrow();
    assertThat(replicaSide.appliedSequence()).hasValue(last);
    assertThat(replicaSide.needsBootstrap()).hasValue(false);
    assertThat(replicaSide.state()).isPresent();
    assertThat(ri.getReplicationMap().keySet())
        .contains(
            "epoch",
            "epoch_term",
            "epoch_start_sequence",
            "replica_id",
            "state",
            "state_ms",
            "applied_sequence",
            "durable_sequence",
            "acked_sequence",
            "primary_last_sequence",
            "lag_entries",
            "lag_ms",
            "bytes_received_wire",
            "bytes_received_raw",
            "entries_applied",
            "batches_applied",
            "nacks_sent",
            "checksum_failures",
            "reconnects",
            "needs_bootstrap",
            "bootstraps_completed",
            "read_wait_timeout_ms",
            "read_waits",
            "read_wait_timeouts",
            "read_waits_pending")
        .doesNotContain("sessions", "refusal");
  }

  @Test
  void aReplicaRestartedResumesFromItsOwnPosition() {
    KevoServer primary = node("primary", ServerOptions.builder().role(NodeRole.PRIMARY));
    var p = stub(primary);
    ServerOptions.Builder ro =
        ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address());
    KevoServer replica = node("replica", ro);
    for (int i = 0; i < 100; i++) {
      p.put(PutRequest.newBuilder().setKey(b("k" + i)).setValue(b("v" + i)).build());
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> replica.db().latestSequence() == primary.db().latestSequence());
    replica.close();
    for (int i = 0; i < 50; i++) {
      p.delete(DeleteRequest.newBuilder().setKey(b("k" + i)).build());
    }
    KevoServer again = node("replica", ro);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> again.db().latestSequence() == primary.db().latestSequence());
    var r = stub(again);
    assertThat(get(r, "k10")).isNull();
    assertThat(get(r, "k60")).isEqualTo("v60");
    // Nothing was applied twice: the replica's counters only saw the 50 deletes after restart.
    assertThat(again.replica().status().entriesApplied()).isEqualTo(50);
  }

  /** The epoch a node reports in {@code GetNodeInfo}. */
  private static long epoch(GetNodeInfoResponse info) {
    return ReplicationStatus.of(info).epoch().orElseThrow().number();
  }

  private io.kevo.proto.replication.ReplicationAdminGrpc.ReplicationAdminBlockingStub admin(
      KevoServer s) {
    return io.kevo.proto.replication.ReplicationAdminGrpc.newBlockingStub(channel(s))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static Status.Code code(Runnable r) {
    try {
      r.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void aReplicaIsPromotedAnotherIsRepointedAndTheOldPrimaryComingBackIsFenced() {
    KevoServer primary = node("p", ServerOptions.builder().role(NodeRole.PRIMARY));
    var p = stub(primary);
    KevoServer r1 =
        node(
            "r1", ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()));
    KevoServer r2 =
        node(
            "r2", ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()));
    for (int i = 0; i < 20; i++) {
      p.put(PutRequest.newBuilder().setKey(b("k" + i)).setValue(b("v" + i)).build());
    }
    long last = primary.db().latestSequence();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> r1.db().latestSequence() == last && r2.db().latestSequence() == last);
    primary.close();

    var promoted = admin(r1).promote(io.kevo.proto.replication.PromoteRequest.getDefaultInstance());
    assertThat(promoted.getAlreadyPrimary()).isFalse();
    assertThat(promoted.getEpoch().getEpoch()).isEqualTo(2);
    assertThat(promoted.getEpoch().getStartSequence()).isEqualTo(last + 1);
    assertThat(r1.role()).isEqualTo(NodeRole.PRIMARY);
    var w = stub(r1);
    w.put(PutRequest.newBuilder().setKey(b("after")).setValue(b("r1")).build());
    GetNodeInfoResponse info = w.getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    assertThat(info.getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.PRIMARY);
    assertThat(info.getPrimaryAddress()).isEqualTo(r1.address());
    assertThat(epoch(info)).isEqualTo(2);
    // Promoting it again is harmless.
    assertThat(
            admin(r1)
                .promote(io.kevo.proto.replication.PromoteRequest.getDefaultInstance())
                .getAlreadyPrimary())
        .isTrue();

    admin(r2)
        .repoint(
            io.kevo.proto.replication.RepointRequest.newBuilder()
                .setPrimaryAddress(r1.address())
                .build());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> r2.db().latestSequence() == r1.db().latestSequence());
    var r2s = stub(r2);
    assertThat(get(r2s, "after")).isEqualTo("r1");
    GetNodeInfoResponse r2info = r2s.getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    assertThat(r2info.getPrimaryAddress()).isEqualTo(r1.address());
    assertThat(epoch(r2info)).isEqualTo(2);
    // Only a replica can be repointed, only a replica promoted; a bad address is refused.
    assertThat(
            code(
                () ->
                    admin(r1)
                        .repoint(
                            io.kevo.proto.replication.RepointRequest.newBuilder()
                                .setPrimaryAddress(r2.address())
                                .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    admin(r2)
                        .repoint(
                            io.kevo.proto.replication.RepointRequest.newBuilder()
                                .setPrimaryAddress("no-port")
                                .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    // The old primary comes back as a primary (its own flags): still epoch 1, a new term.
    KevoServer stale = node("p", ServerOptions.builder().role(NodeRole.PRIMARY));
    var st = stub(stale);
    assertThat(epoch(st.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()))).isEqualTo(1);
    // A replica that has seen epoch 2 is pointed at it by mistake: it refuses to follow, and the
    // stale primary learns it has been superseded and refuses writes from then on.
    admin(r2)
        .repoint(
            io.kevo.proto.replication.RepointRequest.newBuilder()
                .setPrimaryAddress(stale.address())
                .build());
    await().atMost(Duration.ofSeconds(20)).until(() -> stale.primary().supersededBy() != null);
    assertThat(r2.replica().status().refusal())
        .isEqualTo(io.kevo.replication.ReplicationException.Reason.STALE_EPOCH);
    assertThatThrownBy(
            () -> st.put(PutRequest.newBuilder().setKey(b("split")).setValue(b("x")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("superseded");
            });
    assertThat(get(stub(stale), "split")).isNull();
    assertThat(get(r2s, "after")).isEqualTo("r1");
    assertThat(
            ReplicationStatus.of(st.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()))
                .superseded())
        .isPresent();
  }
}
