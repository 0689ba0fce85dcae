package io.kevo.chaos.cluster;

import java.util.List;

/**
 * How to run a chaos cluster's nodes.
 *
 * @param nodes how many, at least 1 (without a coordinator the first is the primary); in a sharded
 *     cluster, how many per shard
 * @param jvmOptions JVM options of every node (e.g. its heap)
 * @param serverArgs {@code kevo server} options every node gets, whatever its role (e.g. {@code
 *     --sync}); role, primary, coordinator, shard and advertised address are added by the cluster
 * @param coordinated whether the nodes elect their primary and fail over by themselves through a
 *     ZooKeeper the cluster runs ({@code --coordinator}); else the harness sets the roles and fails
 *     over by hand
 * @param shards 0 for an unsharded cluster; else how many shards its first map has, each a
 *     replication group of {@code nodes} nodes started with {@code --shard} (needs a coordinator)
 * @param splitAt the first map's split points, each the first key of the next shard, ascending:
 *     {@code shards - 1} of them in a sharded cluster, none otherwise
 */
public record ClusterSpec(
    int nodes,
    List<String> jvmOptions,
    List<String> serverArgs,
    boolean coordinated,
    int shards,
    List<String> splitAt) {
  public ClusterSpec {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster has at least one node");
    }
    jvmOptions = List.copyOf(jvmOptions);
    serverArgs = List.copyOf(serverArgs);
    splitAt = List.copyOf(splitAt);
    if (shards < 0 || splitAt.size() != Math.max(0, shards - 1)) {
      throw new IllegalArgumentException(
          shards + " shards need " + Math.max(0, shards - 1) + " split points, got " + splitAt);
    }
    if (shards > 0 && !coordinated) {
      throw new IllegalArgumentException("a sharded cluster needs a coordinator");
    }
  }

  /** An unsharded cluster. */
  public ClusterSpec(
      int nodes, List<String> jvmOptions, List<String> serverArgs, boolean coordinated) {
    this(nodes, jvmOptions, serverArgs, coordinated, 0, List.of());
  }

  /** A cluster whose roles the harness sets (no coordinator). */
  public ClusterSpec(int nodes, List<String> jvmOptions, List<String> serverArgs) {
    this(nodes, jvmOptions, serverArgs, false);
  }

  /** Whether the cluster is sharded. */
  public boolean sharded() {
    return shards > 0;
  }
}
