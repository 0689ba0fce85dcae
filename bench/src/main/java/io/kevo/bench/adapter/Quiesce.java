package io.kevo.bench.adapter;

import java.util.concurrent.TimeUnit;

/** The polling shared by the adapters' {@code awaitQuiescent}. */
final class Quiesce {
  /** A full compaction of a 10M-key database takes minutes on a slow machine; this is generous. */
  static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(30);

  private static final long POLL_MILLIS = 50;

  private Quiesce() {}

  /** Sleeps one poll interval, or fails once {@code deadline} has passed. */
  static void pause(long deadline, String engine) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(engine + " still flushing or compacting after the timeout");
    }
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + engine + " to settle", e);
    }
  }
}
