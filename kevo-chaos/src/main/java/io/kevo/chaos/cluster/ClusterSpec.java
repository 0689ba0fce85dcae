package io.kevo.chaos.cluster;

import java.util.List;

/**
 * How to run a chaos cluster's nodes.
 *
 * @param nodes how many, at least 1 (without a coordinator the first is the primary)
 * @param jvmOptions JVM options of every node (e.g. its heap)
 * @param serverArgs {@code kevo server} options every node gets, whatever its role (e.g. {@code
 *     --sync}); role, primary, coordinator and advertised address are added by the cluster
 * @param coordinated whether the nodes elect their primary and fail over by themselves through a
 *     ZooKeeper the cluster runs ({@code --coordinator}); else the harness sets the roles and fails
 *     over by hand
 */
public record ClusterSpec(
    int nodes, List<String> jvmOptions, List<String> serverArgs, boolean coordinated) {
  public ClusterSpec {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster has at least one node");
    }
    jvmOptions = List.copyOf(jvmOptions);
    serverArgs = List.copyOf(serverArgs);
  }

  /** A cluster whose roles the harness sets (no coordinator). */
  public ClusterSpec(int nodes, List<String> jvmOptions, List<String> serverArgs) {
    this(nodes, jvmOptions, serverArgs, false);
  }
}
