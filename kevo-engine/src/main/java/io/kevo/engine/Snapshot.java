package io.kevo.engine;

/**
 * A consistent view of the database at one sequence number: reads through it ({@link
 * ReadOptions#snapshot(Snapshot)}) see exactly the writes at or below {@link #sequence()}, whatever
 * is written, flushed or compacted afterwards. While it is open, compaction keeps the versions it
 * can see. Thread-safe; {@link #close()} is idempotent.
 */
public interface Snapshot extends AutoCloseable {
  long sequence();

  @Override
  void close();
}
