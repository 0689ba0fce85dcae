package io.kevo.chaos.check;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.Locale;
import java.util.StringJoiner;

/** Plain-English renderings of operations, values and times for anomaly explanations. */
final class OpText {
  private OpText() {}

  /** Nanoseconds since the run began as seconds with microseconds, e.g. {@code 1.204312 s}. */
  static String time(long nanos) {
    return String.format(Locale.ROOT, "%.6f s", nanos / 1e9);
  }

  /** A value, or {@code absent} for null. */
  static String value(String v) {
    return v == null ? "absent" : v;
  }

  /** A count with thousands separators, e.g. {@code 41,233}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * What an operation did and who did it, e.g. {@code PUT k7=c5-9 by client 5}, {@code GET k7 by
   * client 3}, {@code TXN [read k1=a, read k2=absent, put k1=b, delete k2] by client 1}.
   */
  static String brief(Op op) {
    String what =
        switch (op.kind()) {
          case GET -> "GET " + op.mops().get(0).key();
          case DELETE -> "DELETE " + op.mops().get(0).key();
          case PUT -> "PUT " + op.mops().get(0).key() + "=" + op.mops().get(0).value();
          case TXN -> "TXN " + mops(op);
          case BATCH -> "BATCH " + mops(op);
        };
    return what + " by client " + op.client();
  }

  private static String mops(Op op) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (Mop m : op.mops()) {
      switch (m.kind()) {
        case READ ->
            j.add("read " + m.key() + "=" + (op.outcome() == Outcome.OK ? value(m.value()) : "?"));
        case PUT -> j.add("put " + m.key() + "=" + m.value());
        case DELETE -> j.add("delete " + m.key());
      }
    }
    return j.toString();
  }

  /** Its interval, e.g. {@code [1.204000 s, 1.206000 s]}; an unknown outcome has no end. */
  static String interval(Op op) {
    String end = op.outcome() == Outcome.UNKNOWN ? "outcome unknown" : time(op.completeNanos());
    return "[" + time(op.invokeNanos()) + ", " + end + "]";
  }

  /** {@code brief} with the interval and, unless OK, the outcome. */
  static String full(Op op) {
    String s = brief(op) + " during " + interval(op);
    return op.outcome() == Outcome.OK ? s : s + " (" + op.outcome() + ")";
  }
}
