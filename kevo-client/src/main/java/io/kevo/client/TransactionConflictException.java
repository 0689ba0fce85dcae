package io.kevo.client;

import io.grpc.Status;

/**
 * A transaction lost to a concurrent writer (status {@code ABORTED}): nothing of it was written and
 * the server has forgotten it. Run the transaction again from the start.
 */
public final class TransactionConflictException extends KevoClientException {
  private static final long serialVersionUID = 1L;

  public TransactionConflictException(String serverMessage, Throwable cause) {
    super(Status.Code.ABORTED, serverMessage, cause);
  }
}
