package io.kevo.engine;

/**
 * A claim on the WAL from a sequence onwards (a lagging replica, a snapshot transfer). Thread-safe;
 * closing releases it and is idempotent.
 */
public interface RetentionHold extends AutoCloseable {
  /** The first sequence this hold keeps. */
  long fromSequence();

  /** Moves the hold forward (a replica acknowledged more); never backwards. */
  void advanceTo(long fromSequence);

  @Override
  void close();
}
