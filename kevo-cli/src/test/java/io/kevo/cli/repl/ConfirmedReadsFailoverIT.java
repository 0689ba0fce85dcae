package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kevo.cli.DistributionProcess;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.PutRequest;
import io.kevo.testkit.TcpProxy;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dirty read the fault harness found, across real processes at {@code --replication-ack
 * replica:1}: a write the primary committed but no replica acknowledged must not be read on the
 * primary, since a failover takes it back. Primary and two replicas behind proxies; both replicas
 * are cut off (black hole); a put times out unconfirmed; a get on the primary does not return it;
 * the primary is killed; a replica is promoted (it refuses reads until a replica confirmed its last
 * sequence) and the other repointed; the value never appears anywhere, every acknowledged write
 * does.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConfirmedReadsFailoverIT extends ClusterFixture {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  private static final Metadata.Key<String> ACK_REPLICAS =
      Metadata.Key.of("kevo-ack-replicas", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SEQUENCE =
      Metadata.Key.of("kevo-sequence", Metadata.ASCII_STRING_MARSHALLER);

  /** Every node gets them: any of them may be promoted. */
  private static final String[] ACK_ARGS = {
    "--replication-ack", "replica:1", "--replication-ack-timeout", "1s"
  };

  @Test
  void aWriteNoReplicaConfirmedIsNeverReadAndAFailoverLosesNothingAcknowledged() throws Exception {
    ReplicationCluster.Node p = cluster.startPrimary("p", List.of(), ACK_ARGS);
    TcpProxy toP1 = cluster.proxyTo(p);
    TcpProxy toP2 = cluster.proxyTo(p);
    ReplicationCluster.Node r1 = cluster.startReplica("r1", toP1.address(), List.of(), ACK_ARGS);
    ReplicationCluster.Node r2 = cluster.startReplica("r2", toP2.address(), List.of(), ACK_ARGS);
    await().atMost(CONVERGENCE).until(() -> p.primaryFigure(PrimarySide::connectedReplicas) == 2);

    Map<String, String> acknowledged = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      String key = String.format("acked:%03d", i);
      Metadata trailers = put(p, key, "v" + i);
      assertThat(Integer.parseInt(trailers.get(ACK_REPLICAS))).isGreaterThanOrEqualTo(1);
      acknowledged.put(key, "v" + i);
    }
    put(p, "register", "confirmed");
    acknowledged.put("register", "confirmed");
    long confirmed = p.lastSequence();
    assertThat(get(p, "register")).isEqualTo("confirmed");
    await()
        .atMost(CONVERGENCE)
        .until(
            () ->
                r1.replicaFigure(ReplicaSide::appliedSequence) == confirmed
                    && r2.replicaFigure(ReplicaSide::appliedSequence) == confirmed);

    // Both replicas are cut off: the primary's bytes vanish, nothing comes back.
    toP1.mode(TcpProxy.Mode.BLACK_HOLE);
    toP2.mode(TcpProxy.Mode.BLACK_HOLE);
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    assertThatThrownBy(() -> put(p, "register", "dirty", trailers))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
              assertThat(e.getStatus().getDescription()).contains("not confirmed by 1 replica(s)");
            });
    long dirty = Long.parseLong(trailers.get().get(SEQUENCE));
    assertThat(dirty).isEqualTo(confirmed + 1);
    assertThat(p.lastSequence()).isEqualTo(dirty);

    // The primary has it in its log, but no read of it shows it: it would be a dirty read.
    assertThat(get(p, "register")).isEqualTo("confirmed");
    assertThat(p.scanPrefix("register"))
        .containsExactlyEntriesOf(Map.of("register", ByteString.copyFromUtf8("confirmed")));
    PrimarySide pReplication = p.status().primary().orElseThrow();
    assertThat(pReplication.readsConfirmedOnly()).hasValue(true);
    assertThat(pReplication.readsRefused()).hasValue(false);
    assertThat(pReplication.confirmedSequence()).hasValue(confirmed);

    p.kill();
    for (ReplicationCluster.Node r : List.of(r1, r2)) {
      assertThat(r.lastSequence()).as("%s's last sequence", r.name).isEqualTo(confirmed);
    }

    DistributionProcess.ShellRun promote = cluster.kevo("promote", r1.address());
    assertThat(promote.status()).as("kevo promote; stderr: %s", promote.err()).isZero();
    // Promoted, it cannot tell which of its entries a replica holds: reads wait for one.
    assertThatThrownBy(() -> get(r1, "register"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .contains("holds writes up to sequence " + confirmed)
                  .contains("reads resume once a replica has them");
            });
    DistributionProcess.ShellRun repoint =
        cluster.kevo("repoint", r2.address(), "--primary", r1.address());
    assertThat(repoint.status()).as("kevo repoint; stderr: %s", repoint.err()).isZero();
    await()
        .atMost(CONVERGENCE)
        .until(
            () ->
                r1.status()
                    .primary()
                    .flatMap(PrimarySide::readsRefused)
                    .equals(Optional.of(false)));

    // The unconfirmed write is gone for good; every acknowledged one is everywhere.
    put(r1, "after", "failover");
    acknowledged.put("after", "failover");
    cluster.awaitConverged(CONVERGENCE, r1, r2);
    assertThat(r1.info().getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.PRIMARY);
    for (ReplicationCluster.Node n : List.of(r1, r2)) {
      assertThat(get(n, "register")).as("register on %s", n.name).isEqualTo("confirmed");
      Map<String, ByteString> all = n.scanPrefix("");
      assertThat(all.values()).doesNotContain(ByteString.copyFromUtf8("dirty"));
      acknowledged.forEach(
          (k, v) ->
              assertThat(all.get(k))
                  .as("%s on %s", k, n.name)
                  .isEqualTo(ByteString.copyFromUtf8(v)));
    }
  }

  private static String get(ReplicationCluster.Node node, String key) {
    return node.stub()
        .get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
        .getValue()
        .toStringUtf8();
  }

  /** A Put at the node's default acknowledgement level; returns its trailers. */
  private static Metadata put(ReplicationCluster.Node node, String key, String value) {
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    put(node, key, value, trailers);
    return trailers.get();
  }

  private static void put(
      ReplicationCluster.Node node, String key, String value, AtomicReference<Metadata> trailers) {
    node.stub()
        .withInterceptors(
            MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
        .put(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value))
                .build());
  }
}
