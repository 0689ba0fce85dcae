package io.kevo.chaos.report;

import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The chart as one SVG, top to bottom: the fault labels, one {@link LatencyPanel} per kind of
 * operation the run sent, the {@link ThroughputStrip}, and the time axis they all share. The fault
 * bands run behind all of them, so a window can be followed down from its label to the throughput
 * it cost.
 */
final class TimelineChart {
  static final double WIDTH = 1320;
  private static final double LEFT = 78;
  private static final double RIGHT = 24;
  private static final double TOP = 8;
  private static final double PANEL_GAP = 28;
  private static final double AXIS = 36;
  private static final int MAX_BUCKETS = 400;

  /** Latencies below this (in milliseconds) are drawn at it: a log scale has no zero. */
  private static final double LATENCY_FLOOR_MS = 0.01;

  private TimelineChart() {}

  static void draw(
      Markup svg, History history, Sampler.Sample sample, Set<Long> flagged, FaultColors colors) {
    double endSeconds = endSeconds(history);
    LinearScale x = new LinearScale(0, endSeconds, LEFT, WIDTH - RIGHT);
    FaultBands bands = new FaultBands(history.faults(), x, colors);
    List<LatencyPanel> panels = new ArrayList<>();
    for (LatencyPanel.Facet facet : LatencyPanel.Facet.values()) {
      LatencyPanel p = new LatencyPanel(facet, sample.drawn(), history.ops());
      if (!p.isEmpty()) {
        panels.add(p);
      }
    }
    ThroughputStrip strip = new ThroughputStrip(history.ops(), endSeconds, MAX_BUCKETS);

    double panelsTop = TOP + bands.labelHeight() + PANEL_GAP;
    double stripTop = panelsTop + panels.size() * (LatencyPanel.HEIGHT + PANEL_GAP);
    double axisY = stripTop + ThroughputStrip.HEIGHT;
    double height = axisY + AXIS;

    svg.open(
        "svg",
        "class",
        "chart",
        "width",
        Text.px(WIDTH),
        "height",
        Text.px(height),
        "viewBox",
        "0 0 " + Text.px(WIDTH) + " " + Text.px(height),
        "role",
        "img");
    bands.draw(svg, TOP, axisY);
    timeGrid(svg, x, panelsTop - PANEL_GAP + 10, axisY);
    LogScale latency = latencyDomain(sample.drawn());
    for (int i = 0; i < panels.size(); i++) {
      panels
          .get(i)
          .draw(svg, x, latency, panelsTop + i * (LatencyPanel.HEIGHT + PANEL_GAP), flagged);
    }
    strip.draw(svg, x, stripTop);
    timeAxis(svg, x, axisY);
    svg.close("svg");
  }

  /** The end of the time axis: the last completion or healing, rounded up; at least a second. */
  static double endSeconds(History history) {
    long end = 0;
    for (Op op : history.ops()) {
      end = Math.max(end, op.completeNanos());
    }
    for (Fault f : history.faults()) {
      end = Math.max(end, f.endNanos());
    }
    return LinearScale.niceCeil(Math.max(end / 1e9, 1), 50);
  }

  /** The latency domain of the drawn operations whose latency means something (not unknown). */
  private static LogScale latencyDomain(List<Op> drawn) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Op op : drawn) {
      if (op.outcome() != Outcome.UNKNOWN) {
        double ms = (op.completeNanos() - op.invokeNanos()) / 1e6;
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
    }
    if (max == 0) {
      min = 0.1;
      max = 1000;
    }
    return LogScale.covering(min, max, LATENCY_FLOOR_MS, 1, 0);
  }

  private static void timeGrid(Markup svg, LinearScale x, double top, double bottom) {
    svg.open("g", "class", "time-grid");
    for (double t : x.ticks(14)) {
      double tx = x.map(t);
      svg.line("grid", tx, top, tx, bottom);
    }
    svg.close("g");
  }

  private static void timeAxis(Markup svg, LinearScale x, double y) {
    double step = LinearScale.niceStep(x.hi() - x.lo(), 14);
    for (double t : x.ticks(14)) {
      double tx = x.map(t);
      svg.line("axis", tx, y, tx, y + 5);
      svg.label(
          step >= 1 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.1f", t),
          "tick time",
          tx,
          y + 17);
    }
    svg.label(
        "seconds since the run began (operations at their invocation)",
        "axis-title",
        (x.from() + x.to()) / 2,
        y + 32);
  }
}
