package io.kevo.engine;

/**
 * A positionable iterator over live keys in ascending order, movable both ways, within the bounds
 * of the {@link ScanOptions} it was opened with and at the read sequence fixed when it was opened
 * (later writes are not seen). Keys and values returned are copies owned by the caller. Not
 * thread-safe. It pins the files it reads until closed; {@link #close()} is idempotent.
 */
public interface KevoCursor extends AutoCloseable {
  boolean valid();

  void seekToFirst();

  void seekToLast();

  /** Positions at the first key at or after {@code key}. */
  void seek(byte[] key);

  /** Positions at the last key at or before {@code key}. */
  void seekForPrev(byte[] key);

  /** Moves to the next key; only while {@link #valid()}. */
  void next();

  /** Moves to the previous key; only while {@link #valid()}. */
  void prev();

  byte[] key();

  byte[] value();

  @Override
  void close();
}
