package io.kevo.cli.shell;

import java.util.Locale;

/**
 * Numbers as people read them in {@code .stats} and {@code kevo status}: sizes in binary units
 * ({@code 1.5 KiB}, {@code 64.0 MiB}), rates per second, ratios with two decimals, percentages,
 * counts with thousands separators, and {@code -} for a figure that does not exist (yet). Stateless
 * and thread-safe.
 */
public final class Figures {
  /** What a figure that does not exist (yet) shows: never {@code null} or a meaningless number. */
  public static final String NONE = "-";

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

  private Figures() {}

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 64.0 MiB}: one decimal from KiB up. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    int u = -1;
    while (v >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
  }

  /** {@code 1.5 MiB/s}. */
  public static String rate(long bytesPerSecond) {
    return bytes(bytesPerSecond) + "/s";
  }

  /** {@code 3.44}: two decimals. */
  public static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f", r);
  }

  /** {@code part / whole} as {@code 93.12%}, or {@link #NONE} if {@code whole} is 0. */
  public static String percent(long part, long whole) {
    return whole == 0 ? NONE : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
  }

  /** {@code 1,234,567}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 850 ms}, {@code 12.3 s}. */
  public static String millis(long ms) {
    return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** A latency: {@code 8.5 us} below 10 µs, {@code 850 us} below 10 ms, else {@code 12.4 ms}. */
  public static String micros(long nanos) {
    if (nanos < 10_000) {
      return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
    if (nanos < 10_000_000) {
      return nanos / 1_000 + " us";
    }
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  /** {@code text}, or {@link #NONE} if it is null or empty. */
  public static String orNone(String text) {
    return text == null || text.isEmpty() ? NONE : text;
  }
}
