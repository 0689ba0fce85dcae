package io.kevo.bench.adapter;

/**
 * One read-write transaction of the engine under test, at snapshot isolation: reads see the state
 * at begin, writes are buffered until {@link #commit()}, and commit fails if another writer
 * committed a key this transaction wrote after its snapshot (first committer wins). Used by one
 * thread; not thread-safe.
 */
public interface EngineTransaction extends AutoCloseable {
  /**
   * The value of {@code key} at the snapshot (or this transaction's own write), or null: absent, or
   * the transaction was {@linkplain #rolledBack() rolled back} while reading it.
   */
  byte[] get(byte[] key);

  /**
   * Whether the engine rolled the transaction back before commit (a pessimistic transaction's lock
   * timeout or deadlock): its reads return null and {@link #commit()} returns false.
   */
  default boolean rolledBack() {
    return false;
  }

  /** Buffers {@code key -> value}. The arrays are fresh; the engine may keep them. */
  void put(byte[] key, byte[] value);

  /**
   * Validates and applies the buffered writes atomically.
   *
   * @return true if committed, false if the transaction lost a write-write conflict (nothing of it
   *     was written; the transaction is over)
   * @throws IllegalStateException on any other engine error
   */
  boolean commit();

  /** Rolls back unless committed, and releases the transaction. Idempotent; throws nothing. */
  @Override
  void close();
}
