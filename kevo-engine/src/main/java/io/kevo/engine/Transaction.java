package io.kevo.engine;

import java.util.Optional;

/**
 * A transaction: reads see the snapshot taken at begin plus the transaction's own writes; writes
 * are buffered and applied at {@link #commit()} as one atomic batch (one WAL record: a crash shows
 * all of it or none). Commit is optimistic by default and may fail with {@link
 * TransactionConflictException}; see {@link Isolation}. A {@link TransactionMode#PESSIMISTIC}
 * transaction instead locks each key it reads or writes until it ends (and reads it at the latest
 * committed value once locked), so {@code get}, {@code put} and {@code delete} may wait, and fail
 * with {@link ErrorCode#LOCK_TIMEOUT} or {@link ErrorCode#DEADLOCK}, which roll it back.
 *
 * <p>Not thread-safe: one thread at a time. {@link #close()} rolls back a transaction that was
 * neither committed nor rolled back, and is idempotent; any other call after commit or rollback
 * fails with {@link ErrorCode#CLOSED}.
 */
public interface Transaction extends AutoCloseable {
  /** A process-unique id, for logs and for servers that hand transactions out by id. */
  long id();

  boolean readOnly();

  /**
   * The sequence of the snapshot the transaction reads at (for a pessimistic one, it moves forward
   * each time it locks a key).
   */
  long snapshotSequence();

  /** The value at the snapshot, or this transaction's own write of it. */
  Optional<byte[]> get(byte[] key);

  void put(byte[] key, byte[] value);

  void delete(byte[] key);

  /** Live pairs within {@code scan} (either direction), the transaction's writes included. */
  KevoIterator scan(ScanOptions scan);

  /** A cursor over the same view as {@link #scan}. */
  KevoCursor cursor(ScanOptions scan);

  /**
   * Validates and applies the buffered writes atomically.
   *
   * @return the sequence of the last write applied, or the snapshot sequence if nothing was written
   * @throws TransactionConflictException if another writer committed a conflicting key first
   */
  long commit();

  /** Discards the buffered writes and releases the snapshot. */
  void rollback();

  /** Rolls back unless committed or rolled back already. Throws nothing. */
  @Override
  void close();
}
