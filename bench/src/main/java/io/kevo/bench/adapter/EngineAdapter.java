package io.kevo.bench.adapter;

import java.util.Map;

/**
 * One open database of the engine under test, seen through the few operations the workloads need.
 * Implementations must be safe for concurrent use by the workload's threads, as the engines they
 * wrap are; a {@link ReadCursor} is used by one thread only.
 */
public interface EngineAdapter extends AutoCloseable {

  /** The engine's short name as printed and written to JSON, e.g. {@code kevo}. */
  String name();

  /**
   * Stores one pair. With {@code sync} the call returns only once the write is on stable storage;
   * without it the write-ahead log is written but not fsynced.
   */
  void put(byte[] key, byte[] value, boolean sync);

  /**
   * Stores {@code keys[i] -> values[i]} for {@code i < count} atomically as one batch. The arrays
   * are fresh and never changed afterwards, so an engine may keep references to them.
   */
  void writeBatch(byte[][] keys, byte[][] values, int count, boolean sync);

  /** The latest value of {@code key}, or {@code null} if it has none. */
  byte[] get(byte[] key);

  /**
   * A cursor over the whole key space at the current state of the database, unpositioned: call a
   * seek first. Close it when done.
   */
  ReadCursor cursor();

  /** Writes every memtable to SSTables and returns once they are there. */
  void flush();

  /** Flushes, then compacts the whole key space (the engine's manual full compaction). */
  void compactAll();

  /**
   * Returns once the engine has no flush or compaction pending or running, so that counters read
   * afterwards describe a settled tree. Flushes first when {@code flush} is set.
   *
   * @throws IllegalStateException if the engine is still busy after a generous timeout
   */
  void awaitQuiescent(boolean flush);

  /**
   * Cumulative write-amplification counters since open: bytes the engine wrote to its WAL and
   * SSTables (flushes and compactions), and key and value bytes accepted from writes.
   */
  WriteCounters writeCounters();

  /**
   * Engine counters worth recording next to the result (flushes, cache hits…), read before close.
   */
  Map<String, Long> stats();

  /** A one-line description of the options the engine was opened with. */
  String describeOptions();

  /** Closes the database, waiting for the engine's own shutdown work. Throws nothing. */
  @Override
  void close();
}
