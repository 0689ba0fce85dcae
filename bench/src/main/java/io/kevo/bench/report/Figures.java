package io.kevo.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /**
   * Every value of {@code values} to {@code digits} decimals ({@link #roundOrNull}), in its order.
   */
  public static Map<String, Double> rounded(Map<String, Double> values, int digits) {
    Map<String, Double> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, roundOrNull(v, digits)));
    return m;
  }

  /** One decimal, for a table cell. */
  public static String fixed(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Every run's rate, no decimals, as {@code 1,234 · 1,301}, for a table's every-run line. */
  public static <T> String everyRun(List<T> runs, ToDoubleFunction<T> rate) {
    return String.join(
        " · ",
        runs.stream()
            .map(r -> String.format(Locale.ROOT, "%,.0f", rate.applyAsDouble(r)))
            .toList());
  }

  /** CPU cores per process as {@code " name 1.23"} cells, in {@code cores}' order. */
  public static String cpuCells(Map<String, Double> cores) {
    return cells(cores, "%.2f");
  }

  /** A figure per process as {@code " name <value>"} cells, in order; {@code format} a value's. */
  public static String cells(Map<String, Double> values, String format) {
    StringBuilder s = new StringBuilder();
    values.forEach(
        (k, v) ->
            s.append(' ').append(k).append(' ').append(String.format(Locale.ROOT, format, v)));
    return s.toString();
  }

  /**
   * CPU per operation of each process, µs, from its cores over a window of {@code seconds} in which
   * {@code ops} operations completed; empty when none did.
   */
  public static Map<String, Double> microsPerOp(
      Map<String, Double> cores, double seconds, long ops) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (ops > 0) {
      cores.forEach((k, c) -> m.put(k, c * seconds * 1e6 / ops));
    }
    return m;
  }

  /** A share as a whole percentage, {@code 12%}, or {@code unknown} for null. */
  public static String percentOrUnknown(Double share) {
    return share == null ? "unknown" : String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** A ratio as {@code 1.23×}, or {@code n/a} for null. */
  public static String times(Double r) {
    return r != null ? String.format(Locale.ROOT, "%.2f×", r) : "n/a";
  }
}
