package io.kevo.replication.snapshot;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Why a {@code FetchSnapshot} stream read by {@link SnapshotStreamReader} failed, by {@link Kind},
 * so that each reader (a replica's bootstrap, a backup) says it in its own words. The message
 * describes the failure without advice; a refusal keeps the call's error as its cause, whose {@link
 * #status()} and {@link #trailers()} the caller reads.
 *
 * <p>Immutable once thrown.
 */
public final class SnapshotStreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure. */
  public enum Kind {
    /** The node refused the call or it closed with an error status (the cause). */
    REFUSED,
    /** The node completed the call before its trailer. */
    ENDED_EARLY,
    /** A message out of place: no header first, sizes that do not add up, a file out of order. */
    MALFORMED,
    /** A chunk's or a whole file's CRC-32C did not match its bytes. */
    DAMAGED,
    /** No message for longer than allowed. */
    IDLE_TIMEOUT
  }

  private final Kind kind;

  SnapshotStreamException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The status the call closed with ({@code UNKNOWN} unless {@link Kind#REFUSED}). */
  public Status status() {
    return getCause() == null ? Status.UNKNOWN : Status.fromThrowable(getCause());
  }

  /** The trailers the call closed with; null if none (or not {@link Kind#REFUSED}). */
  public Metadata trailers() {
    return getCause() == null ? null : Status.trailersFromThrowable(getCause());
  }
}
