package io.kevo.client;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * A call failed: the gRPC status code and the server's message (the status description), unchanged.
 * The codes a Kevo server sends are listed in its {@code StatusMapper}: {@code INVALID_ARGUMENT}
 * (bad key or value, malformed request), {@code NOT_FOUND} (unknown, ended or expired transaction),
 * {@code ABORTED} (transaction aborted by a conflict, a lock timeout or a deadlock: see {@link
 * TransactionConflictException}), {@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE} (node down,
 * shutting down or refusing writes), {@code DATA_LOSS}, {@code FAILED_PRECONDITION} (also: a write
 * sent to a replica, which names the primary; the client follows that redirect and reports
 * FAILED_PRECONDITION only when it has followed too many); the client adds {@code
 * DEADLINE_EXCEEDED} and {@code CANCELLED}.
 */
public class KevoClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String serverMessage;

  public KevoClientException(Status.Code code, String serverMessage, Throwable cause) {
    super(code + (serverMessage.isEmpty() ? "" : ": " + serverMessage), cause);
    this.code = code;
    this.serverMessage = serverMessage;
  }

  /** A failure the client diagnosed itself, with its own {@code message}. */
  KevoClientException(Status.Code code, String serverMessage, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.serverMessage = serverMessage;
  }

  /** The gRPC status code of the failed call. */
  public Status.Code code() {
    return code;
  }

  /** The server's description of the failure (the status description); empty if it sent none. */
  public String serverMessage() {
    return serverMessage;
  }

  /** Whether a transaction lost to a concurrent writer ({@code ABORTED}); run it again. */
  public boolean isConflict() {
    return code == Status.Code.ABORTED;
  }

  /** The exception for a failed call: {@link TransactionConflictException} for ABORTED. */
  static KevoClientException of(Throwable failure) {
    if (failure instanceof KevoClientException e) {
      return e;
    }
    Status status = Status.fromThrowable(failure);
    String message = status.getDescription() == null ? "" : status.getDescription();
    if (status.getCode() == Status.Code.ABORTED) {
      return new TransactionConflictException(message, failure);
    }
    return new KevoClientException(status.getCode(), message, failure);
  }

  /** Whether {@code failure} is a gRPC status failure (as opposed to a bug in the caller). */
  static boolean isStatus(Throwable failure) {
    return failure instanceof StatusRuntimeException || failure instanceof StatusException;
  }
}
