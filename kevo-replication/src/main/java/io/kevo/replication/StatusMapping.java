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
final class StatusMapping {
  private StatusMapping() {}

  static StatusRuntimeException toStatus(ReplicationException e) {
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
          case BOOTSTRAP_LIMIT -> Status.RESOURCE_EXHAUSTED;
        };
    return status.withDescription(e.getMessage()).asRuntimeException(trailers);
  }

  /**
   * Any failure: a {@link ReplicationException} mapped as above, an engine failure as {@link
   * EngineStatus} maps it (as the client service does), anything else INTERNAL.
   */
  static StatusRuntimeException toStatus(Throwable t) {
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
