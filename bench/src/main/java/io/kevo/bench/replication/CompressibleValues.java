package io.kevo.bench.replication;

import java.util.SplittableRandom;

/**
 * Values with a chosen compressibility, each a fresh array: the first {@code ceil(size × fraction)}
 * bytes are random printable ASCII ({@code ' '..'~'}), and that fragment is repeated to fill the
 * value. This is {@code db_bench}'s {@code CompressibleString} with {@code --compression_ratio}
 * (default 0.5 there and here): within one value a compressor finds the repeat, while different
 * values share nothing but the alphabet, so a batch of them does not compress better than each one
 * does (as a pool of reused values would). Not thread-safe: one per writer.
 */
final class CompressibleValues {
  private final SplittableRandom random;
  private final int size;
  private final int fragment;

  /**
   * @param fraction the random part of each value, in (0, 1]; 1 gives no repeat at all
   */
  CompressibleValues(long seed, int size, double fraction) {
    if (size < 1) {
      throw new IllegalArgumentException("value size must be positive, got " + size);
    }
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("compressibility fraction must be in (0, 1]: " + fraction);
    }
    this.random = new SplittableRandom(seed);
    this.size = size;
    this.fragment = Math.max(1, (int) Math.ceil(size * fraction));
  }

  byte[] next() {
    byte[] v = new byte[size];
    for (int i = 0; i < fragment; i++) {
      v[i] = (byte) (' ' + random.nextInt(95));
    }
    for (int i = fragment; i < size; i++) {
      v[i] = v[i - fragment];
    }
    return v;
  }
}
