package io.kevo.bench.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One bar a benchmark is held to, judged: what it asks ({@code value} at least or at most {@code
 * threshold}, in {@code unit}), what the run measured, and whether it holds. A bar whose value was
 * not measured is neither met nor missed ({@link #met()} null); a bar can also fail a condition of
 * its own ({@code failure}: why the figure does not count, e.g. markers that never became visible).
 * Immutable.
 *
 * @param id stable name in the JSON, e.g. {@code get_ops_16_clients}
 * @param description what it asks, in words, e.g. {@code server gets/s with 16 clients}
 * @param unit {@code x} for a ratio, {@code ms}, or a rate's unit such as {@code ops/s}
 * @param atLeast true: value ≥ threshold; false: value ≤ threshold
 * @param threshold the limit
 * @param value the measured figure, or null if it was not measured
 * @param failure why the bar is missed whatever the value, or null
 */
public record Bar(
    String id,
    String description,
    String unit,
    boolean atLeast,
    double threshold,
    Double value,
    String failure) {

  /** {@code value ≥ threshold}. */
  public static Bar atLeast(
      String id, String description, String unit, double threshold, Double value) {
    return new Bar(id, description, unit, true, threshold, value, null);
  }

  /** {@code value ≤ threshold}. */
  public static Bar atMost(
      String id, String description, String unit, double threshold, Double value) {
    return new Bar(id, description, unit, false, threshold, value, null);
  }

  /** This bar, missed for {@code why} whatever its value, when {@code ok} is false. */
  public Bar unless(boolean ok, String why) {
    return ok ? this : new Bar(id, description, unit, atLeast, threshold, value, why);
  }

  /** Whether it holds; null when the value was not measured. */
  public Boolean met() {
    if (value == null) {
      return null;
    }
    return failure == null && (atLeast ? value >= threshold : value <= threshold);
  }

  /** What it asks, e.g. {@code >= 0.800x} or {@code <= 10.00 ms}. */
  public String target() {
    return (atLeast ? ">= " : "<= ") + format(threshold, unit);
  }

  /** One console line: {@code description (target): value -> MET}. */
  public String line() {
    Boolean met = met();
    String verdict =
        met == null
            ? "n/a (not measured)"
            : met ? "MET" : failure == null ? "NOT MET" : "NOT MET (" + failure + ")";
    return String.format(
        Locale.ROOT,
        "%s (%s): %s -> %s",
        description,
        target(),
        value == null ? "-" : format(value, unit),
        verdict);
  }

  /** The bar in the JSON: id, description, comparison, threshold, unit, value, met, failure. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("description", description);
    m.put("comparison", atLeast ? ">=" : "<=");
    m.put("threshold", threshold);
    m.put("unit", unit);
    m.put("value", Figures.roundOrNull(value, 4));
    m.put("met", met());
    m.put("failure", failure);
    return m;
  }

  /** A figure in its unit: {@code 1.234x}, {@code 2.50 ms}, {@code 41,230 ops/s}. */
  public static String format(double v, String unit) {
    return switch (unit) {
      case "x" -> String.format(Locale.ROOT, v >= 0.1 ? "%.3fx" : "%.4fx", v);
      case "ms", "µs" -> String.format(Locale.ROOT, "%,.2f %s", v, unit);
      default -> String.format(Locale.ROOT, "%,.0f %s", v, unit);
    };
  }
}
