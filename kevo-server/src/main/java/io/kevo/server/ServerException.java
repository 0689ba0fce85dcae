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
    SHUTTING_DOWN,
    /** A write sent to a read-only replica; {@link #primaryAddress()} says where to send it. */
    READ_ONLY_REPLICA
  }

  private final Reason reason;
  private final String primaryAddress;

  ServerException(Reason reason, String message) {
    this(reason, message, null);
  }

  ServerException(Reason reason, String message, String primaryAddress) {
    super(message);
    this.reason = reason;
    this.primaryAddress = primaryAddress;
  }

  Reason reason() {
    return reason;
  }

  /** The primary's client address to redirect to, or null. */
  String primaryAddress() {
    return primaryAddress;
  }
}
