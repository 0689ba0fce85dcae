package io.kevo.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.kevo.wire.WireMetadata;

/**
 * A transaction aborted by the server (status {@code ABORTED}): lost to a concurrent writer, or,
 * for a pessimistic transaction, a lock wait that timed out or would have deadlocked ({@link
 * #reason()}, from the {@code kevo-tx-abort} trailer). Nothing of it was written and the server has
 * forgotten it. Run the transaction again from the start.
 */
public final class TransactionConflictException extends KevoClientException {
  private static final long serialVersionUID = 1L;

  /** Why the server aborted the transaction. */
  public enum Reason {
    /** Another writer committed a key this transaction wrote (or read) first. */
    CONFLICT,
    /** It waited longer than the server's lock timeout for a key another transaction holds. */
    LOCK_TIMEOUT,
    /** Waiting for a key would have closed a cycle of transactions waiting for each other. */
    DEADLOCK
  }

  private final Reason reason;

  public TransactionConflictException(String serverMessage, Throwable cause) {
    super(Status.Code.ABORTED, serverMessage, cause);
    this.reason = reasonOf(cause == null ? null : Status.trailersFromThrowable(cause));
  }

  /** Why it was aborted ({@link Reason#CONFLICT} from servers that do not say). */
  public Reason reason() {
    return reason;
  }

  private static Reason reasonOf(Metadata trailers) {
    String r = trailers == null ? null : trailers.get(WireMetadata.TX_ABORT);
    if ("lock-timeout".equals(r)) {
      return Reason.LOCK_TIMEOUT;
    }
    if ("deadlock".equals(r)) {
      return Reason.DEADLOCK;
    }
    return Reason.CONFLICT;
  }
}
