package io.kevo.engine.internal;

import io.kevo.engine.KevoCursor;
import io.kevo.engine.internal.iter.UserIterator;

/** The public cursor: a {@link UserIterator} over a pinned {@link ReadView}. */
final class Cursor implements KevoCursor {
  private final UserIterator it;

  Cursor(UserIterator it) {
    this.it = it;
  }

  @Override
  public boolean valid() {
    return it.valid();
  }

  @Override
  public void seekToFirst() {
    it.seekToFirst();
  }

  @Override
  public void seekToLast() {
    it.seekToLast();
  }

  @Override
  public void seek(byte[] key) {
    it.seek(key);
  }

  @Override
  public void seekForPrev(byte[] key) {
    it.seekForPrev(key);
  }

  @Override
  public void next() {
    it.next();
  }

  @Override
  public void prev() {
    it.prev();
  }

  @Override
  public byte[] key() {
    return it.key();
  }

  @Override
  public byte[] value() {
    return it.value();
  }

  @Override
  public void close() {
    it.close();
  }
}
