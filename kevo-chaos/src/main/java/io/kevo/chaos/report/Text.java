package io.kevo.chaos.report;

import java.util.Locale;

/** Turning arbitrary text and numbers into markup-safe strings. */
final class Text {
  private Text() {}

  /**
   * Escapes text for an XML or HTML element or a double- or single-quoted attribute, after making
   * it {@linkplain #visible visible}: the result is safe anywhere between tags.
   */
  static String esc(String s) {
    return markup(visible(s));
  }

  /**
   * Escapes the five markup characters only: for text already made {@linkplain #visible visible}
   * and joined with line breaks of our own (a hover box's lines).
   */
  static String markup(String v) {
    StringBuilder out = null;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      String r =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (r != null && out == null) {
        out = new StringBuilder(v.length() + 16).append(v, 0, i);
      }
      if (out != null) {
        if (r != null) {
          out.append(r);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? v : out.toString();
  }

  /**
   * Shows characters that XML forbids or that would be invisible or disturb a one-line hover box
   * (control characters, lone surrogates, U+FFFE and U+FFFF) as Java-style escapes, so that a key
   * such as {@code "a\u0000b"} reads {@code a\u0000b} and the markup stays well-formed. Null reads
   * {@code null}.
   */
  static String visible(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r = null;
      if (c == '\n') {
        r = "\\n";
      } else if (c == '\r') {
        r = "\\r";
      } else if (c == '\t') {
        r = "\\t";
      } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xfffe || c == 0xffff) {
        r = unicodeEscape(c);
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (out != null) {
            out.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
        r = unicodeEscape(c);
      } else if (Character.isLowSurrogate(c)) {
        r = unicodeEscape(c);
      }
      if (r != null && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (r != null) {
          out.append(r);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * Cuts a string to at most {@code max} characters, saying how many were left out; a cut never
   * splits a surrogate pair.
   */
  static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = max;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "\u2026(+" + (s.length() - end) + " chars)";
  }

  private static String unicodeEscape(char c) {
    return String.format(Locale.ROOT, "\\u%04x", (int) c);
  }

  /** A coordinate or length with one decimal, without a trailing {@code .0}. */
  static String px(double v) {
    long tenths = Math.round(v * 10);
    if (tenths % 10 == 0) {
      return Long.toString(tenths / 10);
    }
    return (tenths < 0 && tenths > -10 ? "-" : "") + tenths / 10 + "." + Math.abs(tenths % 10);
  }

  /** Nanoseconds since the run began, as seconds with millisecond precision. */
  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  /** A duration in nanoseconds as milliseconds, with three significant digits or so. */
  static String millis(long nanos) {
    double ms = nanos / 1e6;
    if (ms >= 100) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    if (ms >= 10) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f ms", ms);
  }
}
