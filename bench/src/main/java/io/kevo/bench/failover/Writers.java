package io.kevo.bench.failover;

import io.kevo.client.KevoClient;
import io.kevo.client.KevoClientException;
import io.kevo.client.WriteResult;
import io.kevo.client.WriteSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The writers of a failover run: {@code count} threads sharing one {@link KevoClient}, each putting
 * fresh keys ({@link Keys}) one at a time with the client's default write spec (the servers' {@code
 * --replication-ack}), and logging every acknowledgement in its {@link AckLog}. A put that fails
 * (after the client's own retries) is counted by its error code and not retried: its key may or may
 * not be stored, so it is not one the read-back must find. After a failure the writer pauses {@link
 * #PAUSE_AFTER_FAILURE_MS} ms, so that calls failing fast do not spin on the shared cores.
 *
 * <p>Thread-safe: the live counters may be read while they write; the logs only after {@link
 * #stop()} has joined the threads.
 */
final class Writers {
  static final long PAUSE_AFTER_FAILURE_MS = 5;

  private final KevoClient client;
  private final int valueSize;
  private final List<AckLog> logs = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong latestEpoch = new AtomicLong(-1);
  private final LongAdder acked = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  Writers(KevoClient client, int count, int valueSize) {
    this.client = client;
    this.valueSize = valueSize;
    for (int w = 0; w < count; w++) {
      AckLog log = new AckLog(w);
      logs.add(log);
      Thread t = new Thread(() -> write(log), "failover-writer-" + w);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  Writers start() {
    threads.forEach(Thread::start);
    return this;
  }

  private void write(AckLog log) {
    for (long n = 0; running; n++) {
      byte[] key = Keys.key(log.writer(), n);
      try {
        WriteResult r = client.put(key, Keys.value(key, valueSize), WriteSpec.DEFAULT);
        log.acked(n, System.nanoTime(), r.epoch());
        latestEpoch.accumulateAndGet(r.epoch(), Math::max);
        acked.increment();
      } catch (KevoClientException e) {
        failures.computeIfAbsent(e.code().toString(), c -> new LongAdder()).increment();
        pause();
      } catch (RuntimeException e) {
        failures.computeIfAbsent(e.getClass().getSimpleName(), c -> new LongAdder()).increment();
        pause();
      }
    }
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(PAUSE_AFTER_FAILURE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The highest epoch an acknowledgement came from so far; -1 before the first. */
  long latestEpoch() {
    return latestEpoch.get();
  }

  /** Puts acknowledged so far. */
  long acknowledged() {
    return acked.sum();
  }

  /** Failed puts so far, by error code. */
  Map<String, Long> failures() {
    Map<String, Long> m = new java.util.TreeMap<>();
    failures.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /**
   * Stops the writers and waits for the puts in flight to end (bounded by the client's deadline and
   * retries).
   */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(1));
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop within a minute");
      }
    }
  }

  /** Each writer's log; call after {@link #stop()}. */
  List<AckLog> logs() {
    return List.copyOf(logs);
  }
}
