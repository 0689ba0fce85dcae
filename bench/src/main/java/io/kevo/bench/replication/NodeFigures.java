package io.kevo.bench.replication;

import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.ReplicaInfo;
import java.util.Map;

/**
 * What the benchmarks read from one node's {@code GetNodeInfo}: its last sequence, its replicas,
 * and the figures of its string-keyed replication map (named as PROTOCOL.md names them). The only
 * class that parses that map, so that a typed replication status can replace it in one place.
 * Immutable.
 */
final class NodeFigures {
  private final GetNodeInfoResponse info;

  NodeFigures(GetNodeInfoResponse info) {
    this.info = info;
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
    String s = info.getReplicationMap().get("applied_sequence");
    return s != null ? Long.parseLong(s) : info.getLastSequence();
  }

  /** The figure {@code name} of the replication map; {@code absent} if the node has none. */
  long figure(String name, long absent) {
    Map<String, String> m = info.getReplicationMap();
    String s = m.get(name);
    return s != null ? Long.parseLong(s) : absent;
  }

  /** The figure {@code name} of the replication map; 0 if the node has none. */
  long figure(String name) {
    return figure(name, 0);
  }

  /** Replication traffic sent so far (zeros for a standalone node). */
  Cluster.Wire wire() {
    return new Cluster.Wire(
        figure("bytes_sent_raw"), figure("bytes_sent_wire"), figure("entries_sent"));
  }
}
