package io.kevo.bench.replication;

import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.ReplicaInfo;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What the benchmarks read from one node's {@code GetNodeInfo}: its last sequence, its replicas,
 * and its typed {@link ReplicationStatus} (a figure the node does not report reads as a default: 0
 * unless a caller names another). Immutable.
 */
final class NodeFigures {
  private final GetNodeInfoResponse info;
  private final ReplicationStatus status;

  NodeFigures(GetNodeInfoResponse info) {
    this.info = info;
    this.status = ReplicationStatus.of(info);
  }

  /** The node's last sequence. */
  long lastSequence() {
    return info.getLastSequence();
  }

  /** Replicas the node (a primary) lists as available. */
  long availableReplicas() {
    return info.getReplicasList().stream().filter(ReplicaInfo::getAvailable).count();
  }

  /** The last sequence the node applied: a replica's applied sequence, else its last sequence. */
  long applied() {
    return replica(ReplicaSide::appliedSequence, info.getLastSequence());
  }

  /** A primary's figure; 0 if the node reports none (not a primary, or an older node). */
  long primary(Function<PrimarySide, OptionalLong> figure) {
    return status.primary().map(figure).orElse(OptionalLong.empty()).orElse(0);
  }

  /** A replica's figure; {@code absent} if the node reports none. */
  long replica(Function<ReplicaSide, OptionalLong> figure, long absent) {
    return status.replica().map(figure).orElse(OptionalLong.empty()).orElse(absent);
  }

  /** Replication traffic sent so far (zeros for a standalone node). */
  Cluster.Wire wire() {
    return new Cluster.Wire(
        primary(PrimarySide::bytesSentRaw),
        primary(PrimarySide::bytesSentWire),
        primary(PrimarySide::entriesSent));
  }
}
