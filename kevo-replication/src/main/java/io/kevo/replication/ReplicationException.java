package io.kevo.replication;

/** A replication failure with a reason callers (and the gRPC status mapping) can act on. */
public final class ReplicationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why replication refused or failed. */
  public enum Reason {
    /** The primary no longer holds the requested sequence; the replica must bootstrap. */
    POSITION_NOT_RETAINED,
    /** The requested sequence is beyond the primary's next sequence. */
    AHEAD_OF_PRIMARY,
    /** No live session has the given id. */
    UNKNOWN_SESSION,
    /** The node is not a primary (streams) or not a replica. */
    NOT_PRIMARY,
    /** A frame failed its checksum or could not be decoded. */
    MALFORMED,
    /** A record does not follow the last applied sequence. */
    SEQUENCE_MISMATCH,
    /** A request is missing something it needs (e.g. the session id). */
    INVALID_REQUEST,
    /** The primary already runs its configured number of snapshot transfers; retry later. */
    BOOTSTRAP_LIMIT,
    /**
     * A replica has seen a newer epoch than the primary's: the primary has been superseded (or two
     * nodes were made primary of one epoch). Refused on both sides.
     */
    STALE_EPOCH,
    /**
     * The replica's last entries are not in the primary's history (replica side only): it discards
     * them by bootstrapping.
     */
    DIVERGED,
    /** The node is closing. */
    CLOSED,
    /** A newer session of the same replica replaced this one (primary side). */
    SUPERSEDED,
    /**
     * The replica neither read its stream nor acknowledged for the session timeout, or read no
     * snapshot data for as long (primary side).
     */
    STALLED
  }

  private final Reason reason;
  private final long sequence;

  public ReplicationException(Reason reason, String message) {
    this(reason, message, 0, null);
  }

  /**
   * @param sequence the sequence the reason is about (the first retained one for {@code
   *     POSITION_NOT_RETAINED}, the primary's next one for {@code AHEAD_OF_PRIMARY}), or 0
   */
  public ReplicationException(Reason reason, String message, long sequence, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.sequence = sequence;
  }

  public Reason reason() {
    return reason;
  }

  public long sequence() {
    return sequence;
  }
}
