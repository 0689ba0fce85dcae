package io.kevo.engine.internal.iter;

/**
 * Iterates internal entries — (user key, sequence, put or tombstone, value) — in internal order:
 * user key ascending as unsigned bytes, then sequence descending (see {@link InternalOrder}). Every
 * version is visible; filtering by read sequence, collapsing versions and hiding tombstones is the
 * user-facing iterator's job.
 *
 * <p>Implemented by memtables, SSTables and the merging iterator over them. Not thread-safe. The
 * arrays returned by {@link #userKey()} and {@link #value()} must not be modified by the caller and
 * are valid only until the iterator moves (implementations may reuse buffers); copy them to keep
 * them. Accessors and {@link #next()}/{@link #prev()} may only be called while {@link #valid()}.
 * {@link #close()} is idempotent and releases what the iterator pins.
 */
public interface InternalIterator extends AutoCloseable {
  boolean valid();

  void seekToFirst();

  void seekToLast();

  /** Positions at the first entry at or after {@code (userKey, sequence)} in internal order. */
  void seek(byte[] userKey, long sequence);

  /** Positions at the last entry at or before {@code (userKey, sequence)} in internal order. */
  void seekForPrev(byte[] userKey, long sequence);

  void next();

  void prev();

  byte[] userKey();

  long sequence();

  boolean isTombstone();

  /** The value, or {@code null} for a tombstone. */
  byte[] value();

  @Override
  void close();
}
