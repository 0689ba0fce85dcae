package io.kevo.bench.adapter;

import java.util.Map;

/**
 * One open database of the engine under test, seen through the few operations the workloads need.
 * Implementations must be safe for concurrent use by the workload's writer threads, as the engines
 * they wrap are.
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

  /** Engine counters worth recording next to the result (flushes, syncs…), read before close. */
  Map<String, Long> stats();

  /** A one-line description of the options the engine was opened with. */
  String describeOptions();

  /** Closes the database, waiting for the engine's own shutdown work. Throws nothing. */
  @Override
  void close();
}
