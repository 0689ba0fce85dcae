package io.kevo.server;

/**
 * A request the server refuses for a reason of its own (not the engine's). {@link StatusMapper}
 * turns the {@link Reason} into a gRPC status; the message goes to the client as is.
 */
final class ServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the server refused. */
  enum Reason {
    /** The request is malformed (an unknown enum value, a missing id, ...). */
    BAD_REQUEST,
    /** The transaction id was never issued, or its transaction has ended or expired. */
    UNKNOWN_TRANSACTION,
    /** The cap on open transactions is reached. */
    TOO_MANY_TRANSACTIONS,
    /** The server is shutting down. */
    SHUTTING_DOWN
  }

  private final Reason reason;

  ServerException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
