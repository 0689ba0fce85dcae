package io.kevo.replication.replica;

import java.util.ArrayDeque;

/**
 * Replication lag in entries and in time, as {@link io.kevo.replication.ReplicaStatus#lagMillis()}
 * defines it. Keeps a bounded queue of (primary last sequence, primary clock) samples: the first
 * message reporting each new last sequence the replica has not applied yet. When the queue is full,
 * new samples are not kept, which only makes the time lag a later (smaller) estimate until the
 * queue drains.
 *
 * <p>Thread-safe: the apply thread updates, any thread reads.
 */
final class ReplicaLag {
  private static final int MAX_SAMPLES = 1024;

  private record Sample(long sequence, long primaryMicros) {}

  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private long lastApplied;
  private long primaryLast;
  private long latestPrimaryMicros;
  private long latestLocalMillis;

  synchronized void onApplied(long lastAppliedSequence) {
    lastApplied = lastAppliedSequence;
    while (!samples.isEmpty() && samples.peekFirst().sequence() <= lastApplied) {
      samples.pollFirst();
    }
  }

  /** A message said the primary's last sequence is {@code last} at {@code primaryMicros}. */
  synchronized void onMessage(long last, long primaryMicros, long localMillis) {
    if (last > primaryLast) {
      primaryLast = last;
    }
    if (primaryMicros <= 0) {
      return;
    }
    latestPrimaryMicros = primaryMicros;
    latestLocalMillis = localMillis;
    Sample tail = samples.peekLast();
    if (last > lastApplied
        && (tail == null || last > tail.sequence())
        && samples.size() < MAX_SAMPLES) {
      samples.addLast(new Sample(last, primaryMicros));
    }
  }

  synchronized long primaryLastSequence() {
    return primaryLast;
  }

  synchronized long lagEntries() {
    return Math.max(0, primaryLast - lastApplied);
  }

  synchronized long lagMillis(long nowLocalMillis) {
    if (primaryLast <= lastApplied) {
      return 0;
    }
    Sample oldest = samples.peekFirst();
    if (oldest == null || latestPrimaryMicros == 0) {
      return -1;
    }
    long primaryNowMicros =
        latestPrimaryMicros + Math.max(0, nowLocalMillis - latestLocalMillis) * 1000;
    return Math.max(0, (primaryNowMicros - oldest.primaryMicros()) / 1000);
  }
}
