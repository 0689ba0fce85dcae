package io.kevo.bench.server;

import java.util.SplittableRandom;

/**
 * What one client's next request holds, drawn the same way whatever sends it: a loaded key for a
 * get, the next fresh key and its value for a put, the next key to delete, or the next run of batch
 * keys. Each {@link Caller} turns the draw into its own request. Not thread-safe: one per client.
 */
final class RequestDraw {
  private final RequestKind workload;
  private final KeyPlan keys;
  private final ValuePool values;
  private final int batchSize;
  private final SplittableRandom random;
  private byte[] key;
  private byte[] value;
  private long batchFirst;

  RequestDraw(RequestKind workload, KeyPlan keys, ValuePool values, int batchSize, long seed) {
    this.workload = workload;
    this.keys = keys;
    this.values = values;
    this.batchSize = batchSize;
    this.random = new SplittableRandom(seed);
  }

  /** Draws the next request's key (and value), or reserves the next batch's keys. */
  RequestKind next() {
    switch (workload) {
      case GET -> key = keys.randomLoaded(random);
      case PUT -> {
        long i = keys.nextPut();
        key = keys.putKey(i);
        value = values.value(i);
      }
      case DELETE -> key = keys.nextDeleteKey();
      case BATCH -> batchFirst = keys.reserveBatch(batchSize);
    }
    return workload;
  }

  RequestKind workload() {
    return workload;
  }

  /** The key of a get, put or delete. */
  byte[] key() {
    return key;
  }

  /** The value of a put. */
  byte[] value() {
    return value;
  }

  int batchSize() {
    return batchSize;
  }

  /** The key of the batch's {@code j}-th put. */
  byte[] batchKey(int j) {
    return keys.batchKey(batchFirst + j);
  }

  /** The value of the batch's {@code j}-th put. */
  byte[] batchValue(int j) {
    return values.value(batchFirst + j);
  }
}
