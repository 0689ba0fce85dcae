package io.kevo.bench.workload;

import java.util.SplittableRandom;

/**
 * Deterministic random keys and values for one writer thread: the same (seed, stream) gives the
 * same sequence on every engine. Each call returns a fresh array, because engines may keep
 * references to what they are given. Not thread-safe: one per thread.
 */
final class KeyValueSource {
  private final SplittableRandom random;
  private final int keySize;
  private final int valueSize;

  KeyValueSource(long seed, int stream, int keySize, int valueSize) {
    // Distinct, well-mixed seeds per stream; SplittableRandom mixes them further.
    this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
    this.keySize = keySize;
    this.valueSize = valueSize;
  }

  byte[] nextKey() {
    byte[] key = new byte[keySize];
    random.nextBytes(key);
    return key;
  }

  byte[] nextValue() {
    byte[] value = new byte[valueSize];
    random.nextBytes(value);
    return value;
  }
}
