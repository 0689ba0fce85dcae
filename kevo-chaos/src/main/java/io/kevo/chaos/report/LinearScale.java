package io.kevo.chaos.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a linear domain {@code [lo, hi]} onto pixels {@code [from, to]} ({@code to} may be less than
 * {@code from}, as for a y axis that grows upwards), with round tick values.
 */
record LinearScale(double lo, double hi, double from, double to) {
  LinearScale {
    if (!(hi > lo)) {
      throw new IllegalArgumentException("empty domain [" + lo + ", " + hi + "]");
    }
  }

  double map(double v) {
    return from + (v - lo) / (hi - lo) * (to - from);
  }

  /** A round step (1, 2 or 5 times a power of ten) giving at most about {@code count} ticks. */
  static double niceStep(double span, int count) {
    double raw = span / Math.max(1, count);
    double pow = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5}) {
      if (m * pow >= raw) {
        return m * pow;
      }
    }
    return 10 * pow;
  }

  /** The smallest multiple of a nice step that is at least {@code v}: a round upper bound. */
  static double niceCeil(double v, int count) {
    if (v <= 0) {
      return 1;
    }
    double step = niceStep(v, count);
    return Math.ceil(v / step - 1e-9) * step;
  }

  /** Tick values: the multiples of {@link #niceStep} within the domain. */
  List<Double> ticks(int count) {
    double step = niceStep(hi - lo, count);
    List<Double> ticks = new ArrayList<>();
    for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
      ticks.add(i * step);
    }
    return ticks;
  }
}
