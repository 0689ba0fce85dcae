package io.kevo.engine.internal.sstable;

import io.kevo.engine.internal.iter.InternalOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/** One internal entry of a test model. */
record Entry(byte[] userKey, long sequence, boolean tombstone, byte[] value) {
  static final Comparator<Entry> ORDER =
      (a, b) -> InternalOrder.compare(a.userKey, a.sequence, b.userKey, b.sequence);

  static Entry put(String key, long seq, String value) {
    return new Entry(key.getBytes(), seq, false, value.getBytes());
  }

  static Entry delete(String key, long seq) {
    return new Entry(key.getBytes(), seq, true, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && Arrays.equals(userKey, e.userKey)
        && sequence == e.sequence
        && tombstone == e.tombstone
        && Arrays.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(userKey) * 31 + Long.hashCode(sequence);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(userKey)
        + "@"
        + sequence
        + (tombstone ? " DEL" : " len=" + value.length);
  }
}
