package io.kevo.engine.internal;

import io.kevo.engine.KevoCursor;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import java.util.NoSuchElementException;

/** {@link KevoIterator} over a positioned cursor, in one direction; closes it when exhausted. */
final class ScanIterator implements KevoIterator {
  private final KevoCursor cursor;
  private final boolean reverse;
  private boolean closed;

  ScanIterator(KevoCursor cursor, boolean reverse) {
    this.cursor = cursor;
    this.reverse = reverse;
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (!cursor.valid()) {
      close();
      return false;
    }
    return true;
  }

  @Override
  public KeyValue next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValue kv = new KeyValue(cursor.key(), cursor.value());
    if (reverse) {
      cursor.prev();
    } else {
      cursor.next();
    }
    return kv;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cursor.close();
    }
  }
}
