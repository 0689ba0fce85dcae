package io.kevo.engine.internal.util;

import java.util.Locale;

/** A key as error messages show it. Stateless. */
public final class KeyText {
  private KeyText() {}

  /**
   * {@code key} quoted: printable ASCII as is, other bytes (and quote, backslash) as {@code \xNN}.
   */
  public static String quoted(byte[] key) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : key) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format(Locale.ROOT, "\\x%02x", c));
      }
    }
    return sb.append('"').toString();
  }
}
