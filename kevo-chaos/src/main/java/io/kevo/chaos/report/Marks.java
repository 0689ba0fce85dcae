package io.kevo.chaos.report;

import io.kevo.chaos.history.Op;

/**
 * The marks of the chart: an operation's dot, shaped by its kind (put and get a circle, delete a
 * diamond, txn a square) and coloured by its outcome through the page's CSS classes ({@code op ok},
 * {@code op fail}, {@code op unknown}); and the ring around a flagged operation.
 */
final class Marks {
  static final double R = 2.6;
  static final double RING_R = 6.5;

  private Marks() {}

  /** Draws one operation's dot at (cx, cy), with its hover box. */
  static void dot(Markup svg, Op op, double cx, double cy) {
    String cls = "op " + OpText.outcome(op.outcome()) + " " + OpText.kind(op);
    shape(svg, op.kind(), cls, cx, cy, OpText.hover(op));
  }

  /** Draws a kind's shape; {@code title} may be null for none (a legend's swatch). */
  static void shape(Markup svg, Op.Kind kind, String cls, double cx, double cy, String title) {
    String[] attrs =
        switch (kind) {
          case PUT, GET ->
              new String[] {"class", cls, "cx", Text.px(cx), "cy", Text.px(cy), "r", Text.px(R)};
          case TXN, BATCH ->
              new String[] {
                "class",
                cls,
                "x",
                Text.px(cx - R),
                "y",
                Text.px(cy - R),
                "width",
                Text.px(2 * R),
                "height",
                Text.px(2 * R)
              };
          case DELETE -> new String[] {"class", cls, "d", diamond(cx, cy)};
        };
    String tag =
        switch (kind) {
          case PUT, GET -> "circle";
          case TXN, BATCH -> "rect";
          case DELETE -> "path";
        };
    if (title == null) {
      svg.empty(tag, attrs);
    } else {
      svg.titled(tag, title, attrs);
    }
  }

  private static String diamond(double cx, double cy) {
    double d = R * 1.35;
    return "M"
        + Text.px(cx)
        + " "
        + Text.px(cy - d)
        + "l"
        + Text.px(d)
        + " "
        + Text.px(d)
        + " "
        + Text.px(-d)
        + " "
        + Text.px(d)
        + " "
        + Text.px(-d)
        + " "
        + Text.px(-d)
        + "z";
  }

  /** The ring around a flagged operation's dot. */
  static void ring(Markup svg, Op op, double cx, double cy) {
    svg.titled(
        "circle",
        "flagged by the checker\n" + OpText.hover(op),
        "class",
        "flag",
        "cx",
        Text.px(cx),
        "cy",
        Text.px(cy),
        "r",
        Text.px(RING_R));
  }
}
