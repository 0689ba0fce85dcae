package io.kevo.engine.internal.memtable;

import java.util.Arrays;

/**
 * A user key with the sequence number of one of its versions. Ordered by key ascending (unsigned
 * bytes), then sequence descending, so the newest version of a key comes first.
 */
record InternalKey(byte[] key, long sequence) implements Comparable<InternalKey> {
  @Override
  public int compareTo(InternalKey o) {
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
