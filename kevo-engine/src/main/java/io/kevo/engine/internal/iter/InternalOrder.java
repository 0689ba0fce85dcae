package io.kevo.engine.internal.iter;

import java.util.Arrays;

/**
 * The engine's one ordering of internal entries: user key ascending (unsigned bytes), then sequence
 * descending, so that for each key the newest version comes first. Seeking to {@code (key,
 * readSequence)} therefore lands on the newest version visible at {@code readSequence}.
 */
public final class InternalOrder {
  /** Sequence to seek with to land before every version of a key. */
  public static final long MAX_SEQUENCE = Long.MAX_VALUE;

  private InternalOrder() {}

  public static int compare(byte[] aKey, long aSeq, byte[] bKey, long bSeq) {
    int c = Arrays.compareUnsigned(aKey, bKey);
    return c != 0 ? c : Long.compare(bSeq, aSeq);
  }

  public static int compareKeys(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
