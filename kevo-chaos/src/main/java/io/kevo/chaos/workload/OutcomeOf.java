package io.kevo.chaos.workload;

import io.grpc.Status;
import io.kevo.chaos.history.Outcome;

/**
 * What a failed call means for the history. A read that failed had no effect, so it failed. A write
 * failed only when the node said it refused it before writing anything (bad input, not the primary,
 * a transaction conflict, too few replicas); any other error — a timeout, a dropped connection, an
 * unavailable node, an internal error — leaves its outcome unknown: it may have reached the log.
 */
final class OutcomeOf {
  private OutcomeOf() {}

  static Outcome failedRead() {
    return Outcome.FAIL;
  }

  static Outcome failedWrite(Status status) {
    return switch (status.getCode()) {
      case INVALID_ARGUMENT,
          FAILED_PRECONDITION,
          ABORTED,
          NOT_FOUND,
          ALREADY_EXISTS,
          PERMISSION_DENIED,
          UNAUTHENTICATED,
          OUT_OF_RANGE,
          UNIMPLEMENTED ->
          Outcome.FAIL;
      default -> Outcome.UNKNOWN;
    };
  }
}
