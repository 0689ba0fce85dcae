package io.kevo.replication;

import io.grpc.Status;
import io.kevo.engine.KevoException;

/**
 * The one mapping of engine failures ({@link KevoException}, by {@link io.kevo.engine.ErrorCode})
 * to gRPC statuses, for every service that runs on a database: the replication services here and
 * the server's client service.
 *
 * <table>
 *   <caption>Engine codes</caption>
 *   <tr><th>code</th><th>status</th></tr>
 *   <tr><td>INVALID_ARGUMENT</td><td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>TRANSACTION_TOO_LARGE</td><td>RESOURCE_EXHAUSTED</td></tr>
 *   <tr><td>CONFLICT, LOCK_TIMEOUT, DEADLOCK</td><td>ABORTED</td></tr>
 *   <tr><td>CLOSED, WRITES_REFUSED, NO_SPACE, OUTCOME_UNKNOWN, IO_ERROR, UNAVAILABLE</td>
 *       <td>UNAVAILABLE</td></tr>
 *   <tr><td>CORRUPTION</td><td>DATA_LOSS</td></tr>
 *   <tr><td>LOCKED, SEQUENCE_MISMATCH</td><td>FAILED_PRECONDITION</td></tr>
 * </table>
 *
 * The description is the engine's message, plus the underlying cause where the message alone would
 * hide it. Stateless.
 */
public final class EngineStatus {
  private EngineStatus() {}

  /** The status {@code e} is reported with, its description and cause set. */
  public static Status of(KevoException e) {
    return code(e).withDescription(describe(e)).withCause(e);
  }

  private static Status code(KevoException e) {
    return switch (e.code()) {
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case TRANSACTION_TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
      case CONFLICT, LOCK_TIMEOUT, DEADLOCK -> Status.ABORTED;
      case CLOSED, WRITES_REFUSED, NO_SPACE, OUTCOME_UNKNOWN, IO_ERROR, UNAVAILABLE ->
          Status.UNAVAILABLE;
      case CORRUPTION -> Status.DATA_LOSS;
      case LOCKED, SEQUENCE_MISMATCH -> Status.FAILED_PRECONDITION;
    };
  }

  private static String describe(KevoException e) {
    String message = e.getMessage() == null ? e.code().name() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      return message + " (cause: " + cause + ")";
    }
    return message;
  }
}
