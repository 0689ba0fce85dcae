package io.kevo.engine.internal.sstable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A bloom filter over user keys with double hashing: one 64-bit hash {@code h} per key (see {@link
 * #hash}, part of the format), {@code h1 = h & 0xFFFFFFFF}, {@code h2 = h >>> 32}, and probe {@code
 * i} sets bit {@code (h1 + i * h2) mod m}. The encoded filter is the bit array ({@code m / 8}
 * bytes; bit {@code j} is {@code 1 << (j & 7)} of byte {@code j >>> 3}) followed by one byte, the
 * number of probes {@code k}. Immutable and thread-safe once decoded.
 */
final class BloomFilter {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87C37B91114253D5L;
  private static final long C2 = 0x4CF5AD432745937FL;

  private final byte[] bits;
  private final long numBits;
  private final int probes;

  private BloomFilter(byte[] bits, int probes) {
    this.bits = bits;
    this.numBits = (long) bits.length * 8;
    this.probes = probes;
  }

  /**
   * Decodes a filter block.
   *
   * @throws FormatException if it is malformed
   */
  static BloomFilter decode(byte[] block) {
    if (block.length < 2) {
      throw new FormatException("bloom filter of " + block.length + " bytes");
    }
    int k = block[block.length - 1] & 0xFF;
    if (k < 1 || k > 30) {
      throw new FormatException("bloom filter with " + k + " probes");
    }
    return new BloomFilter(Arrays.copyOf(block, block.length - 1), k);
  }

  /** False only if no key with this hash was added. */
  boolean mayContain(long hash) {
    long h1 = hash & 0xFFFFFFFFL;
    long h2 = hash >>> 32;
    for (int i = 0; i < probes; i++) {
      long bit = (h1 + i * h2) % numBits;
      if ((bits[(int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
        return false;
      }
    }
    return true;
  }

  boolean mayContain(byte[] userKey) {
    return mayContain(hash(userKey));
  }

  int probes() {
    return probes;
  }

  long numBits() {
    return numBits;
  }

  /** Number of probes for a bits-per-key budget: about {@code ln 2 * bitsPerKey}, in [1, 30]. */
  static int probesFor(int bitsPerKey) {
    return Math.max(1, Math.min(30, (int) Math.round(bitsPerKey * 0.69)));
  }

  /** Encodes a filter over the given key hashes ({@code count} of them) at the given budget. */
  static byte[] build(long[] hashes, int count, int bitsPerKey) {
    long wanted = Math.max(64L, (long) count * bitsPerKey);
    int bytes = (int) Math.min((wanted + 7) / 8, Integer.MAX_VALUE - 16);
    long m = (long) bytes * 8;
    int k = probesFor(bitsPerKey);
    byte[] out = new byte[bytes + 1];
    for (int n = 0; n < count; n++) {
      long h1 = hashes[n] & 0xFFFFFFFFL;
      long h2 = hashes[n] >>> 32;
      for (int i = 0; i < k; i++) {
        long bit = (h1 + i * h2) % m;
        out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
      }
    }
    out[bytes] = (byte) k;
    return out;
  }

  /**
   * The filter's key hash: MurmurHash3-style mixing of 8-byte little-endian words, the tail, and
   * the length, finished with MurmurHash3's fmix64. Changing it changes the format.
   */
  static long hash(byte[] key) {
    long h = 0x9E3779B97F4A7C15L;
    int i = 0;
    for (; i + 8 <= key.length; i += 8) {
      h ^= mixWord((long) LONG_LE.get(key, i));
      h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729L;
    }
    if (i < key.length) {
      long tail = 0;
      for (int shift = 0; i < key.length; i++, shift += 8) {
        tail |= (key[i] & 0xFFL) << shift;
      }
      h ^= mixWord(tail);
    }
    h ^= key.length;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }

  private static long mixWord(long k) {
    k *= C1;
    k = Long.rotateLeft(k, 31);
    return k * C2;
  }
}
