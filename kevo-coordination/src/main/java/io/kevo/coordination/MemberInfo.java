package io.kevo.coordination;

import java.util.Objects;

/**
 * What one node publishes about itself in its {@code members/ID} znode. Immutable.
 *
 * @param id the node's id, also the znode's name
 * @param clientAddress {@code HOST:PORT} where clients reach the node
 * @param role {@code primary}, {@code replica} or {@code standalone}, as the node reports it
 * @param epoch the term the node follows or leads (0 before any)
 * @param durableSequence the highest sequence the node has made durable
 * @param noPromote true if the node must never be chosen as primary
 */
public record MemberInfo(
    String id,
    String clientAddress,
    String role,
    long epoch,
    long durableSequence,
    boolean noPromote) {

  /** Checks the fields. */
  public MemberInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(role, "role");
    if (id.isEmpty() || id.contains("/")) {
      throw new IllegalArgumentException(
          "member id must be non-empty without '/', got '" + id + "'");
    }
    if (epoch < 0 || durableSequence < 0) {
      throw new IllegalArgumentException("epoch and durable sequence must not be negative");
    }
  }

  /** A copy with other replication figures. */
  public MemberInfo withProgress(String newRole, long newEpoch, long newDurableSequence) {
    return new MemberInfo(id, clientAddress, newRole, newEpoch, newDurableSequence, noPromote);
  }
}
