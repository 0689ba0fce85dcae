package io.kevo.chaos.report;

import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One panel of the chart: the latency of the operations of one {@link Facet} against the time they
 * were invoked, on a log scale shared by all panels. Operations whose outcome is unknown have no
 * latency (only the time their client gave up), so they are drawn in a lane of their own at the top
 * of the panel, spread a little by their id so that they do not hide one another.
 */
final class LatencyPanel {
  /** Height of the whole panel, unknown lane included, in pixels. */
  static final double HEIGHT = 190;

  static final double UNKNOWN_LANE = 18;

  /**
   * Past this many flagged operations in a panel, their rings carry no id label (the table does).
   */
  static final int MAX_FLAG_LABELS = 40;

  /** Which operations a panel shows: reads and writes, to the primary and to a replica. */
  enum Facet {
    WRITES_PRIMARY("Writes sent to the primary", Op.Target.PRIMARY, false),
    READS_PRIMARY("Reads sent to the primary", Op.Target.PRIMARY, true),
    READS_REPLICA("Reads sent to a replica", Op.Target.REPLICA, true),
    WRITES_REPLICA("Writes sent to a replica", Op.Target.REPLICA, false);

    final String title;
    private final Op.Target target;
    private final boolean reads;

    Facet(String title, Op.Target target, boolean reads) {
      this.title = title;
      this.target = target;
      this.reads = reads;
    }

    boolean holds(Op op) {
      return op.target() == target && (op.kind() == Op.Kind.GET) == reads;
    }

    String kinds() {
      return reads ? "get \u25cf" : "put \u25cf, delete \u25c6, txn \u25a0";
    }
  }

  private final Facet facet;
  private final List<Op> drawn;
  private final int total;

  /**
   * @param facet what it shows
   * @param drawn the sampled operations (of any facet; this panel keeps its own)
   * @param all every operation of the run (to count this facet's)
   */
  LatencyPanel(Facet facet, List<Op> drawn, List<Op> all) {
    this.facet = facet;
    this.drawn = drawn.stream().filter(facet::holds).toList();
    this.total = (int) all.stream().filter(facet::holds).count();
  }

  boolean isEmpty() {
    return total == 0;
  }

  /**
   * Draws the panel with its top edge at {@code top}; {@code latencyDomain} is the shared log
   * domain, in milliseconds.
   */
  void draw(Markup svg, LinearScale x, LogScale latencyDomain, double top, Set<Long> flagged) {
    double left = x.from();
    double right = x.to();
    double bottom = top + HEIGHT;
    double laneBottom = top + UNKNOWN_LANE;
    LogScale y =
        new LogScale(latencyDomain.lo(), latencyDomain.hi(), bottom, laneBottom + Marks.R + 2);

    svg.label(
        facet.title
            + " \u2014 "
            + facet.kinds()
            + " \u2014 "
            + (drawn.size() == total
                ? String.format(Locale.ROOT, "%,d operations", total)
                : String.format(Locale.ROOT, "%,d of %,d operations drawn", drawn.size(), total)),
        "panel-title",
        left,
        top - 6);
    svg.rect("lane", left, top, right - left, UNKNOWN_LANE);
    svg.label("unknown", "tick unknown-label", left - 6, top + UNKNOWN_LANE / 2 + 4);
    for (double ms : y.ticks()) {
      double ty = y.map(ms);
      svg.line("grid", left, ty, right, ty);
      svg.label(latencyLabel(ms), "tick", left - 6, ty + 4);
    }
    svg.rect("frame", left, top, right - left, HEIGHT);

    // Successes first, so that failures and unknowns are drawn over them.
    List<Op> flaggedHere = new ArrayList<>();
    for (Outcome outcome : List.of(Outcome.OK, Outcome.FAIL, Outcome.UNKNOWN)) {
      svg.open("g", "class", "dots " + OpText.outcome(outcome));
      for (Op op : drawn) {
        if (op.outcome() == outcome) {
          Marks.dot(svg, op, x.map(op.invokeNanos() / 1e9), dotY(op, y, top));
          if (flagged.contains(op.id())) {
            flaggedHere.add(op);
          }
        }
      }
      svg.close("g");
    }
    svg.open("g", "class", "flags");
    for (Op op : flaggedHere) {
      double cx = x.map(op.invokeNanos() / 1e9);
      double cy = dotY(op, y, top);
      Marks.ring(svg, op, cx, cy);
      if (flaggedHere.size() > MAX_FLAG_LABELS) {
        continue;
      }
      svg.label(Long.toString(op.id()), "flag-label", cx + Marks.RING_R + 1, cy - Marks.RING_R);
    }
    svg.close("g");
  }

  private static double dotY(Op op, LogScale y, double top) {
    if (op.outcome() == Outcome.UNKNOWN) {
      // Spread over the lane by the id, the same way every time the page is drawn.
      double span = UNKNOWN_LANE - 2 * Marks.R - 4;
      return top + Marks.R + 2 + Math.floorMod(Sampler.mix(op.id()), 1000) / 999.0 * span;
    }
    return y.map((op.completeNanos() - op.invokeNanos()) / 1e6);
  }

  static String latencyLabel(double ms) {
    if (ms >= 1000) {
      return trim(ms / 1000) + " s";
    }
    if (ms >= 1) {
      return trim(ms) + " ms";
    }
    return trim(ms * 1000) + " \u00b5s";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
