package io.kevo.engine;

import java.util.Iterator;

/**
 * Reads logical WAL records in log order. {@link #hasNext()} is false when the reader has caught up
 * with what has been written; it may become true again after more writes. Not thread-safe.
 */
public interface WalCursor extends Iterator<WalRecord>, AutoCloseable {
  @Override
  void close();
}
