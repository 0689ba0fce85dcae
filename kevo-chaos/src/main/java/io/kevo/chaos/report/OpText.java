package io.kevo.chaos.report;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How an operation reads in a hover box and in the tables. */
final class OpText {
  /** Keys and values are cut to this many characters in hover boxes (the tables show them all). */
  static final int HOVER_VALUE_CHARS = 60;

  static final int HOVER_ERROR_CHARS = 200;

  private OpText() {}

  static String kind(Op op) {
    return op.kind().name().toLowerCase(Locale.ROOT);
  }

  static String target(Op op) {
    return op.target().name().toLowerCase(Locale.ROOT);
  }

  static String outcome(Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }

  /** Where an outcome goes in per-outcome counts: ok 0, fail 1, unknown 2. */
  static int index(Outcome outcome) {
    return switch (outcome) {
      case OK -> 0;
      case FAIL -> 1;
      case UNKNOWN -> 2;
    };
  }

  /** One line per micro-operation, e.g. {@code put k1 = v7} or {@code read k1 → v7}. */
  static List<String> mops(Op op, int maxChars) {
    List<String> lines = new ArrayList<>(op.mops().size());
    for (Mop m : op.mops()) {
      String key = Text.visible(Text.clip(m.key(), maxChars));
      lines.add(
          switch (m.kind()) {
            case PUT -> "put " + key + " = " + Text.visible(Text.clip(m.value(), maxChars));
            case DELETE -> "delete " + key;
            case READ -> "read " + key + " \u2192 " + readValue(op, m, maxChars);
          });
    }
    return lines;
  }

  private static String readValue(Op op, Mop m, int maxChars) {
    if (op.outcome() != Outcome.OK) {
      return "(not known)";
    }
    return m.value() == null ? "(absent)" : Text.visible(Text.clip(m.value(), maxChars));
  }

  /** The hover box of a dot: visible text, lines joined with {@code \n}. */
  static String hover(Op op) {
    StringBuilder b = new StringBuilder(160);
    b.append("op ").append(op.id()).append(" \u00b7 ").append(kind(op));
    b.append(" \u00b7 client ").append(op.client()).append(" \u2192 ");
    b.append(Text.visible(Text.clip(op.node(), HOVER_VALUE_CHARS)));
    b.append(" (").append(target(op)).append(")\n");
    for (String line : mops(op, HOVER_VALUE_CHARS)) {
      b.append(line).append('\n');
    }
    b.append("invoked ").append(Text.seconds(op.invokeNanos()));
    b.append(", completed ").append(Text.seconds(op.completeNanos()));
    b.append(" (").append(Text.millis(op.completeNanos() - op.invokeNanos())).append(")\n");
    b.append(outcome(op.outcome()));
    if (op.error() != null) {
      b.append(": ").append(Text.visible(Text.clip(op.error(), HOVER_ERROR_CHARS)));
    }
    if (op.sequence() != 0 || op.epoch() != 0) {
      b.append(" \u00b7 seq ").append(op.sequence()).append(" epoch ").append(op.epoch());
    }
    if (op.minSequence() != 0) {
      b.append(" \u00b7 min-seq ").append(op.minSequence());
    }
    return b.toString();
  }
}
