package io.kevo.server;

/**
 * A request the server refuses for a reason of its own (not the engine's). {@link StatusMapper}
 * turns the {@link Reason} into a gRPC status; the message goes to the client as is.
 */
final class ServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the server refused. */
  enum Reason {
    /** The request is malformed (an unknown enum value, a missing id, ...). */
    BAD_REQUEST,
    /** The transaction id was never issued, or its transaction has ended or expired. */
    UNKNOWN_TRANSACTION,
    /** The cap on open transactions is reached. */
    TOO_MANY_TRANSACTIONS,
    /** The server is shutting down. */
    SHUTTING_DOWN,
    /** A write sent to a read-only replica; {@link #primaryAddress()} says where to send it. */
    READ_ONLY_REPLICA,
    /**
     * A write refused because fewer replicas are connected than {@code --min-replicas-to-write}, or
     * one asking {@code replica:N} of a node that has no replicas (nothing was written).
     */
    NOT_ENOUGH_REPLICAS,
    /**
     * A write sent to a primary that has learnt a newer epoch exists (another node was promoted):
     * nothing was written.
     */
    SUPERSEDED,
    /**
     * A write committed on the primary that its acknowledgement level did not confirm in time (it
     * is not rolled back).
     */
    ACK_TIMEOUT,
    /**
     * A replica has not applied the sequence a read asked for ({@code kevo-min-sequence}); {@link
     * #appliedSequence()} says how far it is.
     */
    REPLICA_BEHIND,
    /**
     * A read sent to a primary that has not yet learnt which of its writes a replica holds (after a
     * restart or a promotion, at an acknowledgement level other than {@code async}): a read of one
     * no replica has could be taken back by a failover.
     */
    READS_UNCONFIRMED,
    /**
     * Automatic failover: a write sent while the cluster has no primary, or to a primary whose
     * coordinator session is not live, whose lease lapsed or that lost its leadership (nothing was
     * written); or a write made while the lease lapsed, whose fate a failover decides.
     */
    NO_PRIMARY,
    /**
     * Sharding: a key this node's shard does not own, or a node that serves no shard of its sharded
     * cluster; {@link #shardOwner()} names the shard that owns the key, {@link #shardMapVersion()}
     * the map that says so.
     */
    WRONG_SHARD,
    /** Sharding: this node has not read its cluster's shard map yet (the coordinator is away). */
    SHARD_MAP_UNKNOWN
  }

  private final Reason reason;
  private final String primaryAddress;
  private final long appliedSequence;
  private final String shardOwner;
  private final long shardMapVersion;

  ServerException(Reason reason, String message) {
    this(reason, message, null);
  }

  ServerException(Reason reason, String message, String primaryAddress) {
    this(reason, message, primaryAddress, -1);
  }

  private ServerException(Reason reason, String message, String primaryAddress, long applied) {
    this(reason, message, primaryAddress, applied, null, -1);
  }

  private ServerException(
      Reason reason,
      String message,
      String primaryAddress,
      long applied,
      String shardOwner,
      long shardMapVersion) {
    super(message);
    this.reason = reason;
    this.primaryAddress = primaryAddress;
    this.appliedSequence = applied;
    this.shardOwner = shardOwner;
    this.shardMapVersion = shardMapVersion;
  }

  /**
   * {@link Reason#WRONG_SHARD}: the key belongs to shard {@code owner} (null when no shard is to
   * name) in map {@code mapVersion}; FAILED_PRECONDITION with {@code kevo-shard} and {@code
   * kevo-shard-map-version}.
   */
  static ServerException wrongShard(String message, String owner, long mapVersion) {
    return new ServerException(Reason.WRONG_SHARD, message, null, -1, owner, mapVersion);
  }

  /** {@link Reason#REPLICA_BEHIND}: this replica has applied {@code applied} of {@code wanted}. */
  static ServerException replicaBehind(long applied, long wanted, long waitedMillis) {
    return new ServerException(
        Reason.REPLICA_BEHIND,
        "this replica has applied up to sequence "
            + applied
            + ", not yet the "
            + wanted
            + " the read asked for (waited "
            + waitedMillis
            + " ms); read from the primary",
        null,
        applied);
  }

  /**
   * A read whose {@code kevo-min-sequence} is beyond a primary's or standalone node's own log: the
   * token was issued by another node (a newer primary, after a failover). UNAVAILABLE, with the
   * node's last sequence in {@code kevo-applied-sequence}, so that the client reads elsewhere.
   */
  static ServerException notThere(long last, long wanted) {
    return new ServerException(
        Reason.REPLICA_BEHIND,
        "this node's log ends at sequence "
            + last
            + ", before the "
            + wanted
            + " the read asked for: another node wrote it (a newer primary?); read another node",
        null,
        last);
  }

  /**
   * A read whose {@code kevo-min-sequence} a primary holds but no replica confirmed within the read
   * wait (a write whose acknowledgement timed out): READS_UNCONFIRMED (UNAVAILABLE), with the
   * confirmed sequence in {@code kevo-applied-sequence}.
   */
  static ServerException notConfirmed(long confirmed, long wanted, long waitedMillis) {
    return new ServerException(
        Reason.READS_UNCONFIRMED,
        "no replica has confirmed sequence "
            + wanted
            + " the read asked for yet (confirmed: "
            + confirmed
            + ", waited "
            + waitedMillis
            + " ms); this primary serves only writes a replica holds, so a failover cannot take"
            + " back what a read saw; retry later",
        null,
        confirmed);
  }

  /** The replica's applied sequence for {@link Reason#REPLICA_BEHIND}; else -1. */
  long appliedSequence() {
    return appliedSequence;
  }

  Reason reason() {
    return reason;
  }

  /** {@link Reason#WRONG_SHARD}: the shard that owns the key, or null. */
  String shardOwner() {
    return shardOwner;
  }

  /** {@link Reason#WRONG_SHARD}: the version of the map that says so; else -1. */
  long shardMapVersion() {
    return shardMapVersion;
  }

  /** The primary's client address to redirect to, or null. */
  String primaryAddress() {
    return primaryAddress;
  }
}
