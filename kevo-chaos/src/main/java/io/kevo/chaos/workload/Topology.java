package io.kevo.chaos.workload;

import java.util.List;

/** Where the clients find the nodes: the primary and the replicas, by name and address, now. */
public interface Topology {
  /** The name of the node clients send writes and linearizable reads to. */
  String primary();

  /** The names of the other nodes. */
  List<String> replicas();

  /** The address clients use for {@code node}. */
  String address(String node);
}
