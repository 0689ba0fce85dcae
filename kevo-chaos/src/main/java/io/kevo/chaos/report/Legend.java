package io.kevo.chaos.report;

import io.kevo.chaos.history.Op;
import java.util.Map;

/** The key above the chart: outcome colours, kind shapes, the flag ring, fault colours. */
final class Legend {
  private Legend() {}

  static void draw(Markup m, FaultColors colors) {
    m.open("div", "class", "legend");
    item(m, "ok", () -> Marks.shape(m, Op.Kind.PUT, "op ok", 7, 7, null));
    item(m, "fail", () -> Marks.shape(m, Op.Kind.PUT, "op fail", 7, 7, null));
    item(
        m,
        "unknown (in each panel's top lane: no latency)",
        () -> Marks.shape(m, Op.Kind.PUT, "op unknown", 7, 7, null));
    item(m, "put / get", () -> Marks.shape(m, Op.Kind.PUT, "op key", 7, 7, null));
    item(m, "delete", () -> Marks.shape(m, Op.Kind.DELETE, "op key", 7, 7, null));
    item(m, "txn / batch", () -> Marks.shape(m, Op.Kind.TXN, "op key", 7, 7, null));
    item(
        m,
        "anomaly (flagged by a checker)",
        () -> m.empty("circle", "class", "flag", "cx", "7", "cy", "7", "r", "3.3"));
    for (Map.Entry<String, String> e : colors.all().entrySet()) {
      item(
          m,
          e.getKey(),
          () ->
              m.empty(
                  "rect",
                  "class",
                  "band",
                  "fill",
                  e.getValue(),
                  "x",
                  "3",
                  "y",
                  "3",
                  "width",
                  "8",
                  "height",
                  "8"));
    }
    m.close("div");
  }

  private static void item(Markup m, String label, Runnable swatch) {
    m.open("span", "class", "key");
    m.open("svg", "width", "14", "height", "14", "viewBox", "0 0 14 14");
    // The chart's marks are small; the key draws them larger about the swatch's centre.
    m.open("g", "transform", "translate(7 7) scale(1.7) translate(-7 -7)");
    swatch.run();
    m.close("g").close("svg");
    m.raw(Text.esc(label));
    m.close("span");
  }
}
