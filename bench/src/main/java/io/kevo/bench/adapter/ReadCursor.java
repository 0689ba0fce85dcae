package io.kevo.bench.adapter;

/**
 * A forward cursor of one engine over its whole key space. Keys and values are returned as copies
 * for both engines (RocksDB's JNI copies, Kevo's cursor hands out copies). Not thread-safe.
 */
public interface ReadCursor extends AutoCloseable {
  /** Positions at the first key. */
  void seekToFirst();

  /** Positions at the first key at or after {@code key}. */
  void seek(byte[] key);

  boolean valid();

  /** Moves to the next key; only while {@link #valid()}. */
  void next();

  byte[] key();

  byte[] value();

  /** Releases the cursor. Idempotent; throws nothing. */
  @Override
  void close();
}
