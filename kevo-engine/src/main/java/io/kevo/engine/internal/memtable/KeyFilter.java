package io.kevo.engine.internal.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A bloom filter over the keys of one memtable, so that a lookup of a key the memtable does not
 * hold — most lookups, once most data is in SSTables — costs a few bit tests instead of a skiplist
 * search (a chain of cache misses). Four probes by double hashing.
 *
 * <p>Thread-safety: one writer (the memtable's) sets bits with plain stores before it inserts the
 * key; readers test bits with plain loads. A reader only asks about writes at or below a sequence
 * it read from a volatile field after those writes were published, so it always sees their bits; a
 * stale read can only produce a false positive for a newer key, which the skiplist search then
 * settles.
 */
final class KeyFilter {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int PROBES = 4;

  private final long[] bits;
  private final int mask;

  /** A filter of {@code 2^log2Bits} bits. */
  KeyFilter(int log2Bits) {
    this.bits = new long[1 << (log2Bits - 6)];
    this.mask = (1 << log2Bits) - 1;
  }

  /** About one bit per 8 bytes of memtable, between 64 Kibit and 64 Mibit. */
  static KeyFilter forMemtableBytes(long bytes) {
    int log2 = 64 - Long.numberOfLeadingZeros(Math.max(1, bytes / 8) - 1);
    return new KeyFilter(Math.max(16, Math.min(26, log2)));
  }

  long sizeInBytes() {
    return (long) bits.length * 8;
  }

  void add(byte[] key) {
    long h = hash(key);
    int h1 = (int) h;
    int h2 = (int) (h >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      int bit = (h1 + i * h2) & mask;
      bits[bit >>> 6] |= 1L << bit;
    }
  }

  boolean mayContain(byte[] key) {
    long h = hash(key);
    int h1 = (int) h;
    int h2 = (int) (h >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      int bit = (h1 + i * h2) & mask;
      if ((bits[bit >>> 6] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** 64-bit hash: eight bytes at a time, MurmurHash3's finalizer to mix. */
  static long hash(byte[] key) {
    long h = 0x9E3779B97F4A7C15L ^ key.length;
    int i = 0;
    for (; i + 8 <= key.length; i += 8) {
      h = (h ^ (long) LONG_LE.get(key, i)) * 0xC2B2AE3D27D4EB4FL;
      h = Long.rotateLeft(h, 31);
    }
    long tail = 0;
    for (int shift = 0; i < key.length; i++, shift += 8) {
      tail |= (key[i] & 0xFFL) << shift;
    }
    h ^= tail * 0x165667B19E3779F9L;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
