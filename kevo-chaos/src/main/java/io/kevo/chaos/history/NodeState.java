package io.kevo.chaos.history;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one node held at the end of a run, after every fault was healed and the cluster was given
 * time to converge: its whole contents and its last sequence.
 *
 * @param node the node's name
 * @param role {@code primary} or {@code replica} at the end
 * @param lastSequence the node's last applied sequence when it was read
 * @param data every live key and its value, sorted by key
 */
public record NodeState(
    String node, String role, long lastSequence, SortedMap<String, String> data) {
  public NodeState {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(role, "role");
    data = new TreeMap<>(data);
  }

  public static NodeState of(
      String node, String role, long lastSequence, Map<String, String> data) {
    return new NodeState(node, role, lastSequence, new TreeMap<>(data));
  }
}
