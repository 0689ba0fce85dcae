package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kevo.client.KevoClient;
import io.kevo.client.KevoClientException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that put {@code prefix<thread>-<n>} keys through a {@link KevoClient} until stopped, each
 * key once, with a value derived from the key ({@link #valueOf}) so that a reader can check any
 * pair without the writer's memory. Remembers which keys were acknowledged; a put that failed is
 * counted and its key is never written again (it may or may not have been applied).
 */
final class BackgroundWriter implements AutoCloseable {
  private final KevoClient client;
  private final String prefix;
  private final int valueBytes;
  private final boolean sync;
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean stopping;

  BackgroundWriter(KevoClient client, String prefix, int valueBytes, boolean sync) {
    this.client = client;
    this.prefix = prefix;
    this.valueBytes = valueBytes;
    this.sync = sync;
  }

  /** Starts {@code count} writer threads. */
  BackgroundWriter start(int count) {
    for (int t = 0; t < count; t++) {
      String keys = prefix + t + "-";
      Thread thread = new Thread(() -> write(keys), "writer-" + keys);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    return this;
  }

  private void write(String keys) {
    for (long n = 0; !stopping; n++) {
      String key = keys + String.format("%07d", n);
      try {
        client.put(key.getBytes(UTF_8), valueOf(key, valueBytes), sync);
        acknowledged.add(key);
      } catch (KevoClientException e) {
        failures.incrementAndGet();
      }
    }
  }

  /** The value written under {@code key}: the key, repeated and cut to {@code bytes}. */
  static byte[] valueOf(String key, int bytes) {
    byte[] k = key.getBytes(UTF_8);
    byte[] v = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      v[i] = k[i % k.length];
    }
    return v;
  }

  byte[] valueOf(String key) {
    return valueOf(key, valueBytes);
  }

  long acknowledgedCount() {
    return acknowledged.size();
  }

  /** The acknowledged keys (a copy). */
  Set<String> acknowledgedKeys() {
    return Set.copyOf(acknowledged);
  }

  long failures() {
    return failures.get();
  }

  /** Stops the threads and waits (bounded) for them; idempotent. */
  void stop() throws InterruptedException {
    stopping = true;
    for (Thread t : threads) {
      t.join(60_000);
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " did not stop within 60 s");
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  @Override
  public String toString() {
    return Arrays.toString(new long[] {acknowledged.size(), failures.get()});
  }
}
