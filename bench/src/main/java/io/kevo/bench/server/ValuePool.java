package io.kevo.bench.server;

import java.util.SplittableRandom;

/**
 * Random values, generated once: 1,024 distinct arrays handed out by number, so that neither the
 * load generator (sharing two cores with the server) nor the embedded loop spends its time
 * generating random bytes, while consecutive entries of a table block still differ (random bytes do
 * not compress). The arrays are shared and must never be written to: the server copies what it
 * receives, and the engine keeps the reference it is given. Thread-safe (immutable after
 * construction).
 */
final class ValuePool {
  private static final int SIZE = 1024;

  private final byte[][] values = new byte[SIZE][];

  ValuePool(long seed, int valueSize) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x7A1_0E5L);
    for (int i = 0; i < SIZE; i++) {
      values[i] = new byte[valueSize];
      random.nextBytes(values[i]);
    }
  }

  /** The value for key number {@code i}; do not modify it. */
  byte[] value(long i) {
    return values[(int) (i & (SIZE - 1))];
  }
}
