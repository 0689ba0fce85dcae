package io.kevo.bench.replication;

import java.util.concurrent.TimeUnit;

/** Sleeps that turn an interrupt into an unchecked failure of the phase (keeping the flag). */
final class Sleep {
  private Sleep() {}

  static void millis(long ms) {
    nanos(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  static void seconds(double s) {
    nanos((long) (s * 1e9));
  }

  static void nanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
