package io.kevo.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * How every benchmark's report rounds, formats and picks its figures: the one place for the median
 * run, the rounding of JSON numbers and the table's number formats. Stateless.
 */
public final class Figures {
  private Figures() {}

  /**
   * The run with the median {@code rate} (the lower middle one of an even count); null for none.
   */
  public static <T> T median(List<T> runs, ToDoubleFunction<T> rate) {
    if (runs.isEmpty()) {
      return null;
    }
    List<T> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(rate));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** {@code value} to {@code digits} decimals (NaN becomes 0, as {@link Math#round} has it). */
  public static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /** {@code value} to {@code digits} decimals; null for null, NaN or an infinity. */
  public static Double roundOrNull(Double value, int digits) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    return round(value, digits);
  }

  /** One decimal, for a table cell. */
  public static String fixed(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** A ratio as {@code 1.23×}, or {@code n/a}. */
  public static String times(OptionalDouble r) {
    return r.isPresent() ? String.format(Locale.ROOT, "%.2f×", r.getAsDouble()) : "n/a";
  }
}
