package io.kevo.engine.internal.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A user key with the sequence number of one of its versions. Ordered by key ascending (unsigned
 * bytes), then sequence descending, so the newest version of a key comes first.
 *
 * <p>Why the {@code prefix} field: memtable inserts and lookups are dominated by skiplist
 * comparisons, each of which would otherwise follow a pointer into the key array. The first eight
 * key bytes, big-endian and zero-padded, compare as an unsigned long in the same order as the bytes
 * do, so most comparisons end on a field of this object and touch no array.
 */
final class InternalKey implements Comparable<InternalKey> {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] key;
  private final long sequence;
  private final long prefix;

  InternalKey(byte[] key, long sequence) {
    this.key = key;
    this.sequence = sequence;
    this.prefix = prefixOf(key);
  }

  static long prefixOf(byte[] key) {
    if (key.length >= 8) {
      return (long) LONG_BE.get(key, 0);
    }
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return p;
  }

  byte[] key() {
    return key;
  }

  long sequence() {
    return sequence;
  }

  @Override
  public int compareTo(InternalKey o) {
    if (prefix != o.prefix) {
      return Long.compareUnsigned(prefix, o.prefix);
    }
    int c = Arrays.compareUnsigned(key, o.key);
    return c != 0 ? c : Long.compare(o.sequence, sequence);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InternalKey k && sequence == k.sequence && Arrays.equals(key, k.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key) * 31 + Long.hashCode(sequence);
  }
}
