package io.kevo.chaos.workload;

import java.util.List;

/**
 * Where the clients find the nodes, now: the primary and the replicas, by name and address. A
 * sharded cluster has a replication group per shard, and clients route each key to its group with
 * the key's methods ({@link #groupOf}, {@link #primaryFor}, {@link #replicasFor}); a cluster of one
 * group answers those as it does for every key.
 */
public interface Topology {
  /** The name of the node clients send writes and linearizable reads to. */
  String primary();

  /** The names of the other nodes. */
  List<String> replicas();

  /** The address clients use for {@code node}. */
  String address(String node);

  /**
   * The replication group that owns {@code key} now: a shard's id, or {@code ""} in a cluster of
   * one group. Sequences (read-your-writes tokens) compare only within a group.
   */
  default String groupOf(String key) {
    return "";
  }

  /** The primary of {@code key}'s group; null while none is known (clients then wait). */
  default String primaryFor(String key) {
    return primary();
  }

  /** The other nodes of {@code key}'s group. */
  default List<String> replicasFor(String key) {
    return replicas();
  }
}
