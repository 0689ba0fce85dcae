package io.kevo.engine.internal.iter;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/** A test entry; {@code value == null} is a tombstone. {@code source} tags where it came from. */
record Entry(byte[] key, long seq, byte[] value, int source) {
  /** Internal order, ties broken by source (the merging iterator's documented tie order). */
  static final Comparator<Entry> ORDER =
      (a, b) -> {
        int c = InternalOrder.compare(a.key, a.seq, b.key, b.seq);
        return c != 0 ? c : Integer.compare(a.source, b.source);
      };

  boolean isTombstone() {
    return value == null;
  }

  int compareTo(byte[] k, long s) {
    return InternalOrder.compare(key, seq, k, s);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(key)
        + "@"
        + seq
        + (value == null ? "(del)" : "=" + HexFormat.of().formatHex(value))
        + "#"
        + source;
  }

  boolean sameAs(InternalIterator it) {
    return Arrays.equals(key, it.userKey())
        && seq == it.sequence()
        && isTombstone() == it.isTombstone()
        && Arrays.equals(value, it.value());
  }
}
