package io.kevo.bench.workload;

/**
 * Keys derived from an index, so that a workload can read "a random loaded key" without storing the
 * key set: {@code random(seed, salt, i)} is a bijective mix of {@code i}, so different indexes give
 * different keys (for keys of 8 bytes or more) in an order unrelated to {@code i}; different salts
 * give unrelated key spaces (a collision between 128-bit keys of two salts is negligible).
 * Stateless and thread-safe.
 */
public final class Keys {
  /** The keys loaded before the read, overwrite and mixed workloads. */
  public static final long LOADED = 0x10AD_ED00L;

  /** Keys never written: the lookups of {@code readmissing}. */
  static final long MISSING = 0x0155_1E55L;

  /** Keys written by the fill workloads' warm-up, apart from the timed keys. */
  static final long WARMUP = 0x5EED_CAFE_F00DL;

  /** Keys of the fill workloads' timed phase. */
  static final long FILL = 0xF111_0000L;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Keys() {}

  /** The {@code i}-th key of the key space {@code (seed, salt)}, {@code size} bytes. */
  public static byte[] random(long seed, long salt, long i, int size) {
    long base = mix(seed ^ mix(salt));
    byte[] key = new byte[size];
    long x = base + i * GOLDEN;
    for (int at = 0; at < size; at += 8) {
      putLong(key, at, mix(x));
      x += 0x632BE59BD9B4E019L;
    }
    return key;
  }

  /**
   * The {@code i}-th key of an ascending sequence: {@code prefix} in the first 8 bytes, {@code i}
   * big-endian in the next 8, zeros after (byte order = numeric order, as RocksDB's bytewise
   * comparator and Kevo's unsigned comparison both see it).
   */
  static byte[] sequential(long prefix, long i, int size) {
    byte[] key = new byte[size];
    putLong(key, 0, prefix);
    putLong(key, 8, i);
    return key;
  }

  /** Stafford's variant 13 of the 64-bit finalizer (as in SplittableRandom): a bijection. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Big-endian, truncated to what fits in {@code key} from {@code at}. */
  private static void putLong(byte[] key, int at, long v) {
    for (int b = 0; b < 8 && at + b < key.length; b++) {
      key[at + b] = (byte) (v >>> (56 - 8 * b));
    }
  }
}
