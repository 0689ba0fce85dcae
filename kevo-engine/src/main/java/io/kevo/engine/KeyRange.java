package io.kevo.engine;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A range of user keys, {@code [start, end)} in unsigned byte order: {@code start} is the first key
 * in it (empty: from the first key), {@code end} the first key after it (null: no upper bound).
 * What a database keeps ({@link KevoDB#retainOnly}) and what a checkpoint covers ({@link
 * KevoDB#checkpoint(KeyRange)}). Immutable; the arrays are copied in and out.
 */
public record KeyRange(byte[] start, byte[] end) {
  /** Every key. */
  public static final KeyRange ALL = new KeyRange(new byte[0], null);

  /** Checks that the range holds at least one key. */
  public KeyRange {
    Objects.requireNonNull(start, "start");
    start = start.clone();
    end = end == null ? null : end.clone();
    if (end != null && Arrays.compareUnsigned(start, end) >= 0) {
      throw new IllegalArgumentException("an empty key range: " + describe(start, end));
    }
  }

  @Override
  public byte[] start() {
    return start.clone();
  }

  @Override
  public byte[] end() {
    return end == null ? null : end.clone();
  }

  /** Whether this is {@link #ALL}. */
  public boolean isAll() {
    return start.length == 0 && end == null;
  }

  /** Whether {@code key} is in the range. */
  public boolean contains(byte[] key) {
    return Arrays.compareUnsigned(key, start) >= 0
        && (end == null || Arrays.compareUnsigned(key, end) < 0);
  }

  /** Whether every key of {@code other} is in this range. */
  public boolean covers(KeyRange other) {
    return Arrays.compareUnsigned(other.start, start) >= 0
        && (end == null || (other.end != null && Arrays.compareUnsigned(other.end, end) <= 0));
  }

  /**
   * Whether some key of the inclusive range {@code [first, last]} is in this range (a table's key
   * span).
   */
  public boolean overlaps(byte[] first, byte[] last) {
    return Arrays.compareUnsigned(last, start) >= 0
        && (end == null || Arrays.compareUnsigned(first, end) < 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRange r && Arrays.equals(start, r.start) && Arrays.equals(end, r.end);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
  }

  /** {@code [START, END)} in hex, {@code -} for an open end. */
  @Override
  public String toString() {
    return describe(start, end);
  }

  private static String describe(byte[] start, byte[] end) {
    HexFormat hex = HexFormat.of();
    return "["
        + (start.length == 0 ? "-" : hex.formatHex(start))
        + ", "
        + (end == null ? "-" : hex.formatHex(end))
        + ")";
  }
}
