package io.kevo.chaos.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a positive domain {@code [lo, hi]} onto pixels {@code [from, to]} logarithmically. The
 * domain is widened to whole powers of ten, so the ticks are the powers of ten. Values at or below
 * {@code lo} (a zero latency, say) are drawn at {@code lo}.
 */
record LogScale(double lo, double hi, double from, double to) {
  LogScale {
    if (!(lo > 0 && hi > lo)) {
      throw new IllegalArgumentException("bad log domain [" + lo + ", " + hi + "]");
    }
  }

  /**
   * A scale whose domain covers {@code [min, max]} widened to powers of ten, spanning at least one
   * decade; {@code min} is raised to {@code floor} first (so that zeros fit).
   */
  static LogScale covering(double min, double max, double floor, double from, double to) {
    double lo = Math.pow(10, Math.floor(Math.log10(Math.max(min, floor))));
    double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max, floor))));
    if (hi <= lo) {
      hi = lo * 10;
    }
    return new LogScale(lo, hi, from, to);
  }

  double map(double v) {
    double t = (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    return from + Math.min(t, 1) * (to - from);
  }

  /** The powers of ten from {@code lo} to {@code hi}. */
  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    long first = Math.round(Math.log10(lo));
    long last = Math.round(Math.log10(hi));
    for (long e = first; e <= last; e++) {
      ticks.add(Math.pow(10, e));
    }
    return ticks;
  }
}
