package io.kevo.chaos.report;

import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The tables under the chart: the fault windows, and the operations a checker flagged. */
final class Tables {
  /** Past this many flagged operations, the table lists the first ones and says how many more. */
  static final int MAX_FLAGGED_ROWS = 1_000;

  /** Keys, values and errors longer than this are cut in the table. */
  static final int CELL_CHARS = 2_000;

  private Tables() {}

  /**
   * Each fault window, with how the operations that completed inside it ended: the availability it
   * cost.
   */
  static void faults(Markup m, History history, FaultColors colors) {
    m.text("h2", "Fault windows (" + history.faults().size() + ")");
    if (history.faults().isEmpty()) {
      m.text("p", "No fault was injected.");
      return;
    }
    m.open("table", "class", "faults");
    m.text("caption", "ok, fail, unknown: the operations that completed inside the window");
    header(m, "kind", "target", "start", "end", "duration", "detail", "ok", "fail", "unknown");
    for (Fault f : history.faults()) {
      int[] outcomes = new int[3];
      for (Op op : history.ops()) {
        if (op.completeNanos() >= f.startNanos() && op.completeNanos() <= f.endNanos()) {
          outcomes[OpText.index(op.outcome())]++;
        }
      }
      m.open("tr");
      m.open("td");
      // Not an empty element: an HTML parser reads <span/> as an open span.
      m.open("span", "class", "swatch", "style", "background:" + colors.of(f.kind()))
          .raw("</span>");
      m.raw(Text.esc(f.kind())).close("td");
      m.text("td", f.target());
      m.text("td", Text.seconds(f.startNanos()), "class", "num");
      m.text("td", Text.seconds(f.endNanos()), "class", "num");
      m.text("td", Text.seconds(f.endNanos() - f.startNanos()), "class", "num");
      m.text("td", Text.clip(f.detail(), CELL_CHARS));
      for (int n : outcomes) {
        m.text("td", String.format(Locale.ROOT, "%,d", n), "class", "num");
      }
      m.close("tr");
    }
    m.close("tbody").close("table");
  }

  /**
   * Every field of each flagged operation, and the fault windows it overlapped; flagged ids that
   * are not in the history are listed too (a checker's bug, or a truncated history).
   */
  static void flagged(Markup m, History history, Set<Long> flaggedIds) {
    List<Op> ops = history.ops().stream().filter(op -> flaggedIds.contains(op.id())).toList();
    m.text("h2", "Anomalies: the operations the checkers flagged (" + ops.size() + ")");
    Map<Long, Op> byId = ops.stream().collect(Collectors.toMap(Op::id, Function.identity()));
    List<Long> missing =
        flaggedIds.stream().filter(id -> !byId.containsKey(id)).sorted().limit(100).toList();
    if (!missing.isEmpty()) {
      m.text(
          "p",
          "Flagged but not in the history: "
              + missing.stream().map(String::valueOf).collect(Collectors.joining(", "))
              + (flaggedIds.size() - byId.size() > missing.size() ? ", \u2026" : ""),
          "class",
          "warning");
    }
    if (ops.isEmpty()) {
      m.text("p", "The checkers flagged no operation.");
      return;
    }
    if (ops.size() > MAX_FLAGGED_ROWS) {
      m.text(
          "p",
          String.format(
              Locale.ROOT,
              "The first %,d of %,d flagged operations, by invocation.",
              MAX_FLAGGED_ROWS,
              ops.size()),
          "class",
          "warning");
    }
    m.open("table", "class", "flagged");
    header(
        m,
        "id",
        "client",
        "node",
        "target",
        "kind",
        "micro-operations",
        "invoked",
        "completed",
        "latency",
        "outcome",
        "error",
        "sequence",
        "epoch",
        "min sequence",
        "during faults");
    for (Op op : ops.subList(0, Math.min(ops.size(), MAX_FLAGGED_ROWS))) {
      m.open("tr", "id", "op-" + op.id());
      m.text("td", Long.toString(op.id()), "class", "num");
      m.text("td", Integer.toString(op.client()), "class", "num");
      m.text("td", op.node());
      m.text("td", OpText.target(op));
      m.text("td", OpText.kind(op));
      m.open("td", "class", "mops");
      List<String> lines = OpText.mops(op, CELL_CHARS);
      for (int i = 0; i < lines.size(); i++) {
        if (i > 0) {
          m.empty("br");
        }
        m.raw(Text.markup(lines.get(i)));
      }
      m.close("td");
      m.text("td", Text.seconds(op.invokeNanos()), "class", "num");
      m.text("td", Text.seconds(op.completeNanos()), "class", "num");
      m.text("td", Text.millis(op.completeNanos() - op.invokeNanos()), "class", "num");
      m.text("td", OpText.outcome(op.outcome()), "class", OpText.outcome(op.outcome()));
      m.text("td", op.error() == null ? "" : Text.clip(op.error(), CELL_CHARS));
      m.text("td", Long.toString(op.sequence()), "class", "num");
      m.text("td", Long.toString(op.epoch()), "class", "num");
      m.text("td", Long.toString(op.minSequence()), "class", "num");
      m.text("td", during(op, history.faults()));
      m.close("tr");
    }
    m.close("tbody").close("table");
  }

  private static String during(Op op, List<Fault> faults) {
    List<String> names = new ArrayList<>();
    for (Fault f : faults) {
      if (f.startNanos() <= op.completeNanos() && f.endNanos() >= op.invokeNanos()) {
        names.add(Text.clip(f.kind() + " " + f.target(), 80));
      }
    }
    return String.join(", ", names);
  }

  /** Writes a table's head and opens its body. */
  private static void header(Markup m, String... names) {
    m.raw("<thead><tr>");
    for (String name : names) {
      m.raw("<th>").raw(Text.esc(name)).raw("</th>");
    }
    m.raw("</tr></thead>\n<tbody>");
  }
}
