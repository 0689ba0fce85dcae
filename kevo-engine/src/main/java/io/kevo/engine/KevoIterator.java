package io.kevo.engine;

import java.util.Iterator;

/**
 * Iterates live key-value pairs in ascending key order. Deleted keys never appear; an empty value
 * does. Not thread-safe: use one iterator from one thread. Closing is idempotent.
 */
public interface KevoIterator extends Iterator<KeyValue>, AutoCloseable {
  @Override
  void close();
}
