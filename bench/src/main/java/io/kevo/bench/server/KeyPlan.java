package io.kevo.bench.server;

import io.kevo.bench.workload.Keys;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which key each request uses, the same for the server and the embedded engine: gets read random
 * preloaded keys; puts write fresh keys of their own key space, numbered in the order they are
 * handed out; deletes remove the put keys in that same order (so they delete keys that exist, as
 * long as a run does no more deletes than puts, and tombstones for absent keys after that); batches
 * write fresh keys of another key space. Keys are derived from their number ({@link Keys#random}),
 * so no key list is kept. Thread-safe: the counters are atomic.
 */
final class KeyPlan {
  private static final long PUT_SPACE = 0x9075_0000L;
  private static final long BATCH_SPACE = 0xBA7C_0000L;
  private static final long MISSING_SPACE = 0x0155_1E55L;

  private final long seed;
  private final long preload;
  private final int keySize;
  private final AtomicLong puts = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();
  private final AtomicLong batchKeys = new AtomicLong();

  KeyPlan(long seed, long preload, int keySize) {
    this.seed = seed;
    this.preload = preload;
    this.keySize = keySize;
  }

  /** The {@code i}-th preloaded key, {@code 0 <= i < preload}. */
  byte[] loaded(long i) {
    return Keys.random(seed, Keys.LOADED, i, keySize);
  }

  /** A random preloaded key; a key never written if nothing was preloaded. */
  byte[] randomLoaded(SplittableRandom random) {
    return preload > 0
        ? loaded(random.nextLong(preload))
        : Keys.random(seed, MISSING_SPACE, random.nextLong(), keySize);
  }

  /** The number of the next put; its key is {@link #putKey}. */
  long nextPut() {
    return puts.getAndIncrement();
  }

  byte[] putKey(long i) {
    return Keys.random(seed, PUT_SPACE, i, keySize);
  }

  /** The key of the next delete: the put keys, oldest first. */
  byte[] nextDeleteKey() {
    return putKey(deletes.getAndIncrement());
  }

  /** Reserves {@code n} consecutive batch key numbers and returns the first. */
  long reserveBatch(int n) {
    return batchKeys.getAndAdd(n);
  }

  byte[] batchKey(long i) {
    return Keys.random(seed, BATCH_SPACE, i, keySize);
  }

  long preload() {
    return preload;
  }
}
