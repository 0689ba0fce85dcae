package io.kevo.replication;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.wire.WireMetadata;

/**
 * The one place where {@link ReplicationException}s become gRPC statuses and trailers (the
 * conventions of {@code replication.proto}). Stateless.
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

  /** Any failure: a {@link ReplicationException} mapped as above, anything else INTERNAL. */
  static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof ReplicationException e) {
      return toStatus(e);
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
