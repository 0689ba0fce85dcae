package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.wire.WireMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A standalone node serves one-shot snapshots (backups) and nothing else of replication. */
class StandaloneSnapshotsTest extends LocalNodesFixture {
  private WALReplicationServiceGrpc.WALReplicationServiceBlockingStub replication(KevoServer s) {
    return WALReplicationServiceGrpc.newBlockingStub(channel(s))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Test
  void aStandaloneNodeSendsAOneShotSnapshotAndRefusesReplicas() {
    KevoServer node = node("standalone", ServerOptions.builder());
    for (int i = 0; i < 500; i++) {
      node.db().put(("k" + i).getBytes(), ("value " + i).getBytes());
    }
    long last = node.db().latestSequence();

    List<SnapshotChunk> chunks = new ArrayList<>();
    replication(node)
        .fetchSnapshot(SnapshotRequest.getDefaultInstance())
        .forEachRemaining(chunks::add);
    assertThat(chunks.get(0).hasHeader()).isTrue();
    assertThat(chunks.get(0).getHeader().getSequence()).isEqualTo(last);
    assertThat(chunks.get(0).getHeader().getFilesCount()).isPositive();
    assertThat(chunks.get(0).getHeader().getEpochsCount())
        .as("the node's own term travels with the snapshot")
        .isEqualTo(1);
    long data = chunks.stream().filter(SnapshotChunk::hasData).count();
    assertThat(data).isPositive();
    SnapshotChunk trailer = chunks.get(chunks.size() - 1);
    assertThat(trailer.hasTrailer()).isTrue();
    assertThat(trailer.getTrailer().getTotalBytes())
        .isEqualTo(chunks.get(0).getHeader().getTotalBytes());
    StandaloneSnapshots snapshots = node.standaloneSnapshots();
    assertThat(snapshots.status().completed()).isEqualTo(1);
    assertThat(snapshots.status().active()).isZero();

    assertThatThrownBy(
            () ->
                replication(node)
                    .fetchSnapshot(SnapshotRequest.newBuilder().setReplicaId("r1").build())
                    .hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("standalone", "--role primary");
              assertThat(e.getTrailers().get(WireMetadata.REPL_ERROR)).isEqualTo("NOT_PRIMARY");
            });
    assertThatThrownBy(
            () ->
                replication(node)
                    .streamWAL(WALStreamRequest.newBuilder().setReplicaId("r1").build())
                    .hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThat(node.db().latestSequence()).isEqualTo(last);
  }

  @Test
  void aReplicaServesNoSnapshots() {
    KevoServer primary = node("primary", ServerOptions.builder().role(NodeRole.PRIMARY));
    KevoServer replica =
        node(
            "replica",
            ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()));
    assertThatThrownBy(
            () ->
                replication(replica).fetchSnapshot(SnapshotRequest.getDefaultInstance()).hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getTrailers().get(WireMetadata.PRIMARY)).isEqualTo(primary.address());
            });
  }
}
