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
  /**
   * An earlier failure the engine cannot recover from by itself (a failed fsync, an I/O error other
   * than a full disk, corrupt data met by a compaction) makes it refuse writes until it is
   * reopened. Nothing of the refused write was written.
   */
  WRITES_REFUSED(false),
  /**
   * The disk holding the database is full: the engine refuses writes (nothing of the refused write
   * was written) until space is freed, then resumes by itself, without a reopen. The message says
   * since when. Try again later or elsewhere.
   */
  NO_SPACE(true),
  /**
   * The write was being written when the log failed (the disk filled up, say): it may or may not be
   * in the database, now or after a restart. The engine does not know; the caller may read the keys
   * back, or redo the write if doing it twice is harmless (putting the same value again is; a
   * read-modify-write is not). Later writes are refused until the engine has recovered.
   */
  OUTCOME_UNKNOWN(false),
  /**
   * A transaction could not commit because a key it wrote (or, when serializable, read) was
   * committed by someone else after its snapshot. Nothing was written; run it again.
   */
  CONFLICT(true),
  /**
   * A pessimistic transaction ({@link TransactionMode#PESSIMISTIC}) did not get a key's lock:
   * another transaction held it for longer than the lock timeout, or the waiting thread was
   * interrupted (its interrupt flag is left set). The transaction was rolled back and its locks
   * released; run it again.
   */
  LOCK_TIMEOUT(true),
  /**
   * A pessimistic transaction would have waited for a lock in a cycle of transactions each waiting
   * for the next: it is the one that closed the cycle, so it was rolled back (its locks released,
   * which lets the others go on). Run it again.
   */
  DEADLOCK(true),
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
