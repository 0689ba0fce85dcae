package io.kevo.chaos.cluster;

import java.util.List;

/**
 * How to run a chaos cluster's nodes.
 *
 * @param nodes how many (the first is the primary), at least 1
 * @param jvmOptions JVM options of every node (e.g. its heap)
 * @param serverArgs {@code kevo server} options every node gets, whatever its role (e.g. {@code
 *     --sync}); role, primary and advertised address are added by the cluster
 */
public record ClusterSpec(int nodes, List<String> jvmOptions, List<String> serverArgs) {
  public ClusterSpec {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster has at least one node");
    }
    jvmOptions = List.copyOf(jvmOptions);
    serverArgs = List.copyOf(serverArgs);
  }
}
