package io.kevo.coordination;

import java.util.Objects;

/**
 * What one node publishes about itself in its {@code members/ID} znode. Immutable.
 *
 * @param id the node's id, also the znode's name
 * @param clientAddress {@code HOST:PORT} where clients reach the node
 * @param role {@code primary}, {@code replica} or {@code standalone}, as the node reports it
 * @param epoch the term the node follows or leads (0 before any)
 * @param lastEntryEpoch the epoch of the term its last durable entry was written in (0 if none):
 *     with {@code durableSequence}, how up to date its log is, compared term first (see {@link
 *     CandidateChoice})
 * @param durableSequence the highest sequence the node has made durable
 * @param noPromote true if the node must never be chosen as primary
 * @param state what the node is doing in the cluster, in words ("following n1 at ...", "primary of
 *     epoch 3 (...)", "no primary: no replica qualifies: ..."), or empty
 * @param dataBytes the bytes its database holds on disk (tables and log); 0 when not reported (a
 *     node of an earlier version)
 */
public record MemberInfo(
    String id,
    String clientAddress,
    String role,
    long epoch,
    long lastEntryEpoch,
    long durableSequence,
    boolean noPromote,
    String state,
    long dataBytes) {

  /** Checks the fields. */
  public MemberInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(role, "role");
    state = state == null ? "" : state;
    if (id.isEmpty() || id.contains("/")) {
      throw new IllegalArgumentException(
          "member id must be non-empty without '/', got '" + id + "'");
    }
    if (epoch < 0 || lastEntryEpoch < 0 || durableSequence < 0 || dataBytes < 0) {
      throw new IllegalArgumentException(
          "epoch, durable sequence and data bytes must not be negative");
    }
  }

  /** A member that does not report its size. */
  public MemberInfo(
      String id,
      String clientAddress,
      String role,
      long epoch,
      long lastEntryEpoch,
      long durableSequence,
      boolean noPromote,
      String state) {
    this(id, clientAddress, role, epoch, lastEntryEpoch, durableSequence, noPromote, state, 0);
  }

  /** A member without a state text. */
  public MemberInfo(
      String id,
      String clientAddress,
      String role,
      long epoch,
      long lastEntryEpoch,
      long durableSequence,
      boolean noPromote) {
    this(id, clientAddress, role, epoch, lastEntryEpoch, durableSequence, noPromote, "");
  }

  /** A copy with other replication figures. */
  public MemberInfo withProgress(
      String newRole, long newEpoch, long newLastEntryEpoch, long newDurableSequence) {
    return new MemberInfo(
        id,
        clientAddress,
        newRole,
        newEpoch,
        newLastEntryEpoch,
        newDurableSequence,
        noPromote,
        state,
        dataBytes);
  }

  /** Whether the node reports itself as the primary. */
  public boolean isPrimary() {
    return PRIMARY.equals(role);
  }

  /** The role of a node that leads its cluster. */
  public static final String PRIMARY = "primary";

  /** The role of a node that follows a primary, or waits for one to be elected. */
  public static final String REPLICA = "replica";
}
