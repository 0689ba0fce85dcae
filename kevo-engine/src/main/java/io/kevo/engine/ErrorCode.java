package io.kevo.engine;

/** The kinds of failure the engine reports through {@link KevoException}. */
public enum ErrorCode {
  /** The caller passed something the engine will not take (too large a key, a null, ...). */
  INVALID_ARGUMENT(false),
  /** On-disk data failed a checksum or is malformed; the message names the file and offset. */
  CORRUPTION(false),
  /** An I/O operation failed. */
  IO_ERROR(false),
  /** The database directory is held by another handle or process. */
  LOCKED(true),
  /** The handle was closed. */
  CLOSED(false),
  /** An earlier write-path failure made the engine refuse writes until it is reopened. */
  WRITES_REFUSED(false),
  /**
   * A transaction could not commit because a key it wrote (or, when serializable, read) was
   * committed by someone else after its snapshot. Nothing was written; run it again.
   */
  CONFLICT(true),
  /** A transaction's buffered writes would exceed its limit. */
  TRANSACTION_TOO_LARGE(false),
  /**
   * A replicated record does not start at the log's next sequence number: it is a duplicate of
   * something already applied, or something before it is missing. Nothing was written.
   */
  SEQUENCE_MISMATCH(false),
  /**
   * The database is temporarily not serving: its contents are being replaced by a checkpoint (a
   * replica bootstrapping from its primary). Try again later or elsewhere.
   */
  UNAVAILABLE(true);

  private final boolean retriable;

  ErrorCode(boolean retriable) {
    this.retriable = retriable;
  }

  /** Whether the same call may succeed if simply tried again later. */
  public boolean retriable() {
    return retriable;
  }
}
