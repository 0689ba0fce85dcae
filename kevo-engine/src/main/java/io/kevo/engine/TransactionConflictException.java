package io.kevo.engine;

/**
 * A transaction lost to another writer: {@link #key()} was committed by someone else after the
 * transaction's snapshot (first committer wins). Nothing of the transaction was written; it may be
 * run again from the start. Retriable.
 */
public final class TransactionConflictException extends KevoException {
  private static final long serialVersionUID = 1L;

  private final byte[] key;

  public TransactionConflictException(byte[] key, String message) {
    super(ErrorCode.CONFLICT, message);
    this.key = key.clone();
  }

  /** A key the transaction wrote or read that another writer changed after its snapshot. */
  public byte[] key() {
    return key.clone();
  }
}
