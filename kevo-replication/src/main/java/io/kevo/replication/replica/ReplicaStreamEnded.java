package io.kevo.replication.replica;

import io.grpc.Metadata;
import io.grpc.Status;
import io.kevo.replication.ReplicationException.Reason;
import io.kevo.wire.WireMetadata;
import java.time.Duration;

/**
 * Why the replica's current stream cannot go on: thrown inside its apply thread and turned into a
 * transition to {@link io.kevo.replication.ReplicaState#ERROR}, a reconnect delay (or, after a
 * failure of the local database, what {@link LocalRefusal} decided) and the status' last error.
 * Carries the primary's refusal, if it was one (see the trailers in {@code replication.proto}).
 */
final class ReplicaStreamEnded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What comes after a failure of the replica's own database (see {@link LocalRefusal}). */
  enum Local {
    /** Not such a failure, or one a reconnect after the usual backoff may get over. */
    NONE,
    /** The local disk is full: reconnect once the database takes writes again. */
    DISK_FULL,
    /** The local database refuses writes until it is reopened: replication stops. */
    STOP
  }

  /** The primary's refusal, or null. */
  final Reason refusal;

  /** Whether to wait the maximum backoff (a refusal that will not go away soon). */
  final boolean maxBackoff;

  /** What the local database's failure means for replication. */
  final Local local;

  ReplicaStreamEnded(String message, Reason refusal, boolean maxBackoff, Throwable cause) {
    this(message, refusal, maxBackoff, cause, Local.NONE);
  }

  ReplicaStreamEnded(
      String message, Reason refusal, boolean maxBackoff, Throwable cause, Local local) {
    super(message, cause, false, false);
    this.refusal = refusal;
    this.maxBackoff = maxBackoff;
    this.local = local;
  }

  /**
   * What the end of a StreamWAL call means.
   *
   * @param error what the call ended with; null if the primary completed it
   * @param expected the sequence the replica asked for (or needs next)
   */
  static ReplicaStreamEnded fromClose(Throwable error, long expected, Duration maxBackoff) {
    if (error == null) {
      return new ReplicaStreamEnded("the primary ended the stream", null, false, null);
    }
    Status status = Status.fromThrowable(error);
    Metadata trailers = Status.trailersFromThrowable(error);
    String kind = trailers == null ? null : trailers.get(WireMetadata.REPL_ERROR);
    if (kind != null) {
      switch (kind) {
        case "POSITION_NOT_RETAINED" -> {
          return new ReplicaStreamEnded(
              "the primary no longer retains sequence "
                  + expected
                  + " (its first retained sequence is "
                  + trailers.get(WireMetadata.FIRST_RETAINED)
                  + "): this replica needs a bootstrap from a snapshot of the primary",
              Reason.POSITION_NOT_RETAINED,
              true,
              error);
        }
        case "AHEAD_OF_PRIMARY" -> {
          return new ReplicaStreamEnded(
              "this replica is ahead of the primary (replica's next sequence "
                  + expected
                  + ", primary's "
                  + trailers.get(WireMetadata.NEXT_SEQUENCE)
                  + "): the primary lost writes or has another history; local data is kept,"
                  + " an operator must resolve it; retrying every "
                  + maxBackoff.toMillis()
                  + " ms",
              Reason.AHEAD_OF_PRIMARY,
              true,
              error);
        }
        case "STALE_EPOCH" -> {
          return new ReplicaStreamEnded(
              "the primary refused this replica: "
                  + status.getDescription()
                  + "; retrying every "
                  + maxBackoff.toMillis()
                  + " ms (repoint this replica at the current primary)",
              Reason.STALE_EPOCH,
              true,
              error);
        }
        case "NOT_PRIMARY" -> {
          String p = trailers.get(WireMetadata.PRIMARY);
          return new ReplicaStreamEnded(
              "the node streamed from is not a primary"
                  + (p != null ? " (it names " + p + " as the primary)" : ""),
              Reason.NOT_PRIMARY,
              false,
              error);
        }
        default -> {
          // An unknown refusal: fall through to the status.
        }
      }
    }
    return new ReplicaStreamEnded(
        "the stream failed: "
            + status.getCode()
            + (status.getDescription() != null ? " " + status.getDescription() : "")
            + (kind != null ? " (" + kind + ")" : ""),
        null,
        false,
        error);
  }
}
