package io.kevo.replication.replica;

import java.time.Duration;
import java.util.Random;

/**
 * Reconnect delays: doubling from the initial delay up to the maximum, each with jitter (a uniform
 * pick between half and all of it), so replicas cut off together do not reconnect in lockstep. Not
 * thread-safe (one per replica, used by its apply thread).
 */
final class ReplicaBackoff {
  private final long initialMillis;
  private final long maxMillis;
  private final Random random;

  ReplicaBackoff(Duration initial, Duration max, Random random) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The delay before reconnecting after {@code failures} (at least 1) failures in a row. */
  long delayMillis(int failures) {
    long d = initialMillis << Math.min(Math.max(failures, 1) - 1, 30);
    if (d <= 0 || d > maxMillis) {
      d = maxMillis;
    }
    return d / 2 + (long) (random.nextDouble() * (d - d / 2));
  }
}
