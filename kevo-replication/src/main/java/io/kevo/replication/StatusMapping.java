package io.kevo.replication;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.engine.KevoException;
import io.kevo.wire.WireMetadata;

/**
 * The one place where {@link ReplicationException}s become gRPC statuses and trailers (the
 * conventions of {@code replication.proto}); engine failures go through {@link EngineStatus}, as
 * they do in the server. Stateless.
 */
public final class StatusMapping {
  private StatusMapping() {}

  /**
   * A replication call refused because this node is not a primary: {@code FAILED_PRECONDITION},
   * {@code NOT_PRIMARY}, and the primary's client address in {@code kevo-primary} when known.
   *
   * @param primaryAddress HOST:PORT, or null if unknown
   */
  public static StatusRuntimeException notPrimary(String primaryAddress) {
    StatusRuntimeException s =
        toStatus(
            new ReplicationException(
                ReplicationException.Reason.NOT_PRIMARY,
                "this node is not a primary"
                    + (primaryAddress != null ? "; its primary is " + primaryAddress : "")
                    + ": replicate from the primary"));
    if (primaryAddress != null) {
      s.getTrailers().put(WireMetadata.PRIMARY, primaryAddress);
    }
    return s;
  }

  public static StatusRuntimeException toStatus(ReplicationException e) {
    Metadata trailers = new Metadata();
    trailers.put(WireMetadata.REPL_ERROR, e.reason().name());
    Status status =
        switch (e.reason()) {
          case POSITION_NOT_RETAINED -> {
            trailers.put(WireMetadata.FIRST_RETAINED, Long.toString(e.sequence()));
            yield Status.OUT_OF_RANGE;
          }
          case AHEAD_OF_PRIMARY -> {
            trailers.put(WireMetadata.NEXT_SEQUENCE, Long.toString(e.sequence()));
            yield Status.OUT_OF_RANGE;
          }
          case UNKNOWN_SESSION -> Status.NOT_FOUND;
          case INVALID_REQUEST, MALFORMED -> Status.INVALID_ARGUMENT;
          case NOT_PRIMARY, SEQUENCE_MISMATCH, STALE_EPOCH, DIVERGED -> Status.FAILED_PRECONDITION;
          case CLOSED -> Status.UNAVAILABLE;
          case SUPERSEDED -> Status.ABORTED;
          case STALLED -> Status.DEADLINE_EXCEEDED;
          case BOOTSTRAP_LIMIT -> Status.RESOURCE_EXHAUSTED;
        };
    return status.withDescription(e.getMessage()).asRuntimeException(trailers);
  }

  /**
   * Any failure: a {@link ReplicationException} mapped as above, an engine failure as {@link
   * EngineStatus} maps it (as the client service does), anything else INTERNAL.
   */
  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof ReplicationException e) {
      return toStatus(e);
    }
    if (t instanceof KevoException e) {
      return EngineStatus.of(e).asRuntimeException();
    }
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    return Status.INTERNAL
        .withDescription(String.valueOf(t.getMessage()))
        .withCause(t)
        .asRuntimeException();
  }
}
