package io.kevo.bench.failover;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The keys and values the writers put: {@code fo/WW/NNNNNNNNNNNN} (writer, then the writer's put
 * number, zero-padded so that a scan returns them in order), and a value of a fixed size that
 * repeats the key, so that the read-back can check each value without remembering it. Stateless.
 */
final class Keys {
  /** What every key starts with: what the read-back scans. */
  static final String PREFIX = "fo/";

  private Keys() {}

  /** The key of put {@code n} of writer {@code writer}. */
  static byte[] key(int writer, long n) {
    return String.format(Locale.ROOT, "%s%02d/%012d", PREFIX, writer, n)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The value stored under {@code key}: its bytes repeated to {@code size} bytes. */
  static byte[] value(byte[] key, int size) {
    byte[] v = new byte[size];
    for (int i = 0; i < size; i++) {
      v[i] = key[i % key.length];
    }
    return v;
  }

  /** A key's writer and put number. */
  record Parsed(int writer, long n) {}

  /** The writer and put number of {@code key}, or null if it is not a key of {@link #key}. */
  static Parsed parse(byte[] key) {
    String s = new String(key, StandardCharsets.US_ASCII);
    if (!s.startsWith(PREFIX) || s.length() != PREFIX.length() + 15 || s.charAt(5) != '/') {
      return null;
    }
    try {
      return new Parsed(Integer.parseInt(s.substring(3, 5)), Long.parseLong(s.substring(6)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
