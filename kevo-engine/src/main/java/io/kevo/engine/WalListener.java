package io.kevo.engine;

/**
 * Notified of WAL activity (the seed's {@code WALObserver}). Methods are called on the
 * subscription's own delivery thread, one at a time, in log order; they may block without affecting
 * writers, though a slow listener misses records (see {@link #onMissed}). Exceptions thrown are
 * logged and ignored.
 */
public interface WalListener {
  /** A logical record (one operation or an atomic batch) was appended to the log. */
  void onRecord(WalRecord record);

  /** Every operation up to and including {@code durableSequence} is on stable storage. */
  void onSync(long durableSequence);

  /**
   * The listener's queue overflowed: the records with sequences {@code fromSequence..toSequence}
   * were appended but not delivered; read them with {@link WalAccess#readFrom(long)}.
   */
  default void onMissed(long fromSequence, long toSequence) {}
}
