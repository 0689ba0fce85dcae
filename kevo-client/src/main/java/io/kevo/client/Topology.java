package io.kevo.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link KevoClient} knows of the cluster, for status and debugging: an immutable snapshot
 * ({@link KevoClient#topology()}). Addresses are client addresses, {@code HOST:PORT}.
 *
 * @param primary the node that takes writes; {@code null} until known. A standalone node is the
 *     primary of a cluster without replicas.
 * @param replicas the replicas, in the order the node asked reported them
 * @param unreachable the nodes this client failed to reach recently ({@code UNAVAILABLE}) and
 *     passes over while another node can serve the call
 * @param refreshedAt when the topology was last read from a node; {@code null} if never
 * @param source the node whose {@code GetNodeInfo} answer it was read from; {@code null} if none
 */
public record Topology(
    String primary,
    List<Replica> replicas,
    Set<String> unreachable,
    Instant refreshedAt,
    String source) {

  /**
   * One replica.
   *
   * @param address its client address
   * @param lastSequence the last log sequence it had applied when the topology was read
   * @param available whether the node that reported it considered it available
   */
  public record Replica(String address, long lastSequence, boolean available) {
    public Replica {
      Objects.requireNonNull(address, "address");
    }
  }

  public Topology {
    replicas = List.copyOf(replicas);
    unreachable = Set.copyOf(unreachable);
  }

  /** Nothing known yet: no primary, no replicas, never refreshed. */
  static Topology unknown() {
    return new Topology(null, List.of(), Set.of(), null, null);
  }

  /** Whether a primary is known. */
  public boolean hasPrimary() {
    return primary != null;
  }

  /** The replicas reads may go to: reported available and not {@link #unreachable()}, in order. */
  public List<String> readableReplicas() {
    return replicas.stream()
        .filter(r -> r.available() && !unreachable.contains(r.address()))
        .map(Replica::address)
        .toList();
  }

  /** This topology with {@code unreachable} instead of its own set. */
  Topology withUnreachable(Set<String> nodes) {
    return new Topology(primary, replicas, nodes, refreshedAt, source);
  }

  /** This topology with another primary (learned from a redirect), not yet confirmed. */
  Topology withPrimary(String address) {
    List<Replica> others = replicas.stream().filter(r -> !r.address().equals(address)).toList();
    return new Topology(address, others, unreachable, refreshedAt, source);
  }
}
