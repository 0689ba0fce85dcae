package io.kevo.engine;

/**
 * Per-write options. Immutable.
 *
 * @param sync if true the write returns only after its WAL record is on stable storage, whatever
 *     the database's {@link SyncMode}
 */
public record WriteOptions(boolean sync) {
  /** Durability as configured by the database's {@link SyncMode}. */
  public static final WriteOptions DEFAULT = new WriteOptions(false);

  /** Force this write (and every write grouped with it) to stable storage before returning. */
  public static final WriteOptions SYNC = new WriteOptions(true);
}
