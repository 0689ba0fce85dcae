package io.kevo.coordination;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One shard of a sharded cluster: its id and the key range it owns, {@code [start, end)} in
 * unsigned byte order. The first shard starts at the empty key; {@code end} is null for the last
 * shard (no upper bound). Immutable; the arrays are copied in and out.
 *
 * @param id the shard's name, also its replication group's znode under {@code shards/}
 * @param start the first key it owns (empty for the first shard)
 * @param end the first key it no longer owns; null for none
 */
public record ShardRange(String id, byte[] start, byte[] end) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /** Checks the id and that the range is not empty. */
  public ShardRange {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(start, "start");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "shard id must be 1-64 of letters, digits, '_', '.', '-' (not leading), got '"
              + id
              + "'");
    }
    start = start.clone();
    end = end == null ? null : end.clone();
    if (end != null && Arrays.compareUnsigned(start, end) >= 0) {
      throw new IllegalArgumentException(
          "shard "
              + id
              + " owns no key: its end "
              + hex(end)
              + " is not after its start "
              + hex(start));
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

  /** Whether this range starts at or before {@code key} (without copying the start). */
  boolean startsAtOrBefore(byte[] key) {
    return Arrays.compareUnsigned(start, key) <= 0;
  }

  /** Whether {@code key} falls in this range. */
  public boolean contains(byte[] key) {
    return Arrays.compareUnsigned(key, start) >= 0
        && (end == null || Arrays.compareUnsigned(key, end) < 0);
  }

  /**
   * {@code [START, END)} with each bound as {@link #keyText} writes it, {@code -} for an open end,
   * e.g. {@code [-, "m")}: for messages to people.
   */
  public String text() {
    return "["
        + (start.length == 0 ? "-" : keyText(start))
        + ", "
        + (end == null ? "-" : keyText(end))
        + ")";
  }

  /** {@code [START, END)} in hex, {@code -} for the open ends, for messages and status. */
  public String describe() {
    return "["
        + (start.length == 0 ? "-" : hex(start))
        + ", "
        + (end == null ? "-" : hex(end))
        + ")";
  }

  /**
   * A key as messages show it: quoted, printable ASCII as is, other bytes (and the quote and
   * backslash) as {@code \xNN}.
   */
  public static String keyText(byte[] key) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : key) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append("\\x")
            .append(Character.forDigit(c >>> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      }
    }
    return sb.append('"').toString();
  }

  /**
   * The first key after every key that starts with {@code prefix}, i.e. the end of the prefix's
   * range; null if there is none (the prefix is all {@code 0xff}).
   */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] next = prefix.clone();
    for (int i = next.length - 1; i >= 0; i--) {
      if (next[i] != (byte) 0xff) {
        next[i]++;
        return Arrays.copyOf(next, i + 1);
      }
    }
    return null;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardRange r
        && id.equals(r.id)
        && Arrays.equals(start, r.start)
        && Arrays.equals(end, r.end);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(start), Arrays.hashCode(end));
  }

  @Override
  public String toString() {
    return id + " " + describe();
  }
}
