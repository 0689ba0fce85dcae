package io.kevo.chaos.report;

import io.kevo.chaos.history.Fault;
import java.util.Arrays;
import java.util.List;

/**
 * The fault windows as vertical bands behind the whole chart, one per fault, each labelled with its
 * kind and target in a strip of label lanes above the panels. Labels go in the first lane where
 * they overlap no earlier label; past {@link #MAX_LANES} a label is left out (the band keeps its
 * hover box, and the table below lists every window).
 */
final class FaultBands {
  static final double LANE_HEIGHT = 15;
  static final int MAX_LANES = 5;

  /** A rough width of a label character at the label's font size, in pixels. */
  private static final double CHAR_WIDTH = 6.3;

  private static final double MIN_BAND_WIDTH = 1.5;

  private final List<Fault> faults;
  private final LinearScale x;
  private final FaultColors colors;
  private final int[] laneOf;
  private final int lanes;

  FaultBands(List<Fault> faults, LinearScale x, FaultColors colors) {
    this.faults = faults;
    this.x = x;
    this.colors = colors;
    this.laneOf = new int[faults.size()];
    double[] laneEnd = new double[MAX_LANES];
    Arrays.fill(laneEnd, Double.NEGATIVE_INFINITY);
    int used = 0;
    for (int i = 0; i < faults.size(); i++) {
      double start = x.map(faults.get(i).startNanos() / 1e9);
      laneOf[i] = -1;
      for (int lane = 0; lane < MAX_LANES; lane++) {
        if (start >= laneEnd[lane] + 4) {
          laneOf[i] = lane;
          laneEnd[lane] = start + label(faults.get(i)).length() * CHAR_WIDTH;
          used = Math.max(used, lane + 1);
          break;
        }
      }
    }
    this.lanes = used;
  }

  static String label(Fault f) {
    return Text.clip(f.kind() + " " + f.target(), 40);
  }

  /** Height of the label lanes, in pixels. */
  double labelHeight() {
    return lanes * LANE_HEIGHT;
  }

  /**
   * Draws the labels in lanes from {@code labelTop} down, and each band from its label's lane to
   * {@code bottom}.
   */
  void draw(Markup svg, double labelTop, double bottom) {
    double bandTop = labelTop + labelHeight();
    svg.open("g", "class", "faults");
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      String color = colors.of(f.kind());
      double x0 = x.map(f.startNanos() / 1e9);
      double x1 = Math.max(x.map(f.endNanos() / 1e9), x0 + MIN_BAND_WIDTH);
      double top = laneOf[i] < 0 ? bandTop : labelTop + laneOf[i] * LANE_HEIGHT;
      svg.titled(
          "rect",
          hover(f),
          "class",
          "band",
          "fill",
          color,
          "x",
          Text.px(x0),
          "y",
          Text.px(top),
          "width",
          Text.px(x1 - x0),
          "height",
          Text.px(bottom - top));
    }
    for (int i = 0; i < faults.size(); i++) {
      if (laneOf[i] < 0) {
        continue;
      }
      Fault f = faults.get(i);
      svg.text(
          "text",
          label(f),
          "class",
          "band-label",
          "fill",
          colors.of(f.kind()),
          "x",
          Text.px(x.map(f.startNanos() / 1e9) + 2),
          "y",
          Text.px(labelTop + laneOf[i] * LANE_HEIGHT + LANE_HEIGHT - 4));
    }
    svg.close("g");
  }

  static String hover(Fault f) {
    StringBuilder b = new StringBuilder();
    b.append(Text.visible(f.kind())).append(' ').append(Text.visible(f.target())).append('\n');
    b.append(Text.seconds(f.startNanos())).append(" \u2013 ").append(Text.seconds(f.endNanos()));
    b.append(" (").append(Text.seconds(f.endNanos() - f.startNanos())).append(')');
    if (!f.detail().isEmpty()) {
      b.append('\n').append(Text.visible(Text.clip(f.detail(), 200)));
    }
    return b.toString();
  }
}
