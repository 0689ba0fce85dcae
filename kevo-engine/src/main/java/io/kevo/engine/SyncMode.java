package io.kevo.engine;

/** When the write-ahead log is forced to stable storage. */
public enum SyncMode {
  /** Never fsync from the engine; a write returns once the OS has it and the OS flushes it. */
  NONE,
  /**
   * A write returns once the OS has it; the log is fsynced when {@link Options#batchSyncBytes()}
   * unsynced bytes have accumulated or {@link Options#batchSyncInterval()} has passed since the
   * oldest unsynced write, whichever comes first.
   */
  BATCH,
  /** Every write returns only after its record is on stable storage (group-committed). */
  IMMEDIATE
}
