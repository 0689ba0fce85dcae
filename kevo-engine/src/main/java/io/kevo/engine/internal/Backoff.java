package io.kevo.engine.internal;

import java.time.Duration;

/**
 * Delays between recovery attempts: {@code first}, then doubling, never above {@code max}, until
 * {@link #reset()}. Not thread-safe (its owner's lock guards it).
 */
final class Backoff {
  private final long firstMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration first, Duration max) {
    this.firstMillis = Math.max(1, first.toMillis());
    this.maxMillis = Math.max(firstMillis, max.toMillis());
    this.nextMillis = firstMillis;
  }

  /** The delay before the next attempt, in milliseconds; each call doubles the following one. */
  long nextMillis() {
    long d = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return d;
  }

  /** The longest delay there will be. */
  long maxMillis() {
    return maxMillis;
  }

  /** Starts again from the first delay (after a recovery). */
  void reset() {
    nextMillis = firstMillis;
  }
}
