package io.kevo.chaos.check;

import io.kevo.chaos.check.WriteIndex.KeyWrite;
import io.kevo.chaos.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The anomalies {@link ReplicaReadChecker} reports, worded for a reader. */
final class ReplicaReadAnomalies {
  private static final String CHECKER = ReplicaReadChecker.NAME;

  private ReplicaReadAnomalies() {}

  private static String read(Op r) {
    return OpText.brief(r)
        + " on replica "
        + r.node()
        + " returned "
        + OpText.value(r.mops().get(0).value())
        + " during "
        + OpText.interval(r);
  }

  /** A value no write invoked before the read returned can explain. */
  static Anomaly unexplained(Op r, List<KeyWrite> writers) {
    String key = r.mops().get(0).key();
    String value = r.mops().get(0).value();
    List<KeyWrite> live = writers.stream().filter(w -> !w.failed()).toList();
    if (!live.isEmpty()) {
      KeyWrite w = live.stream().min(Comparator.comparingLong(KeyWrite::invoke)).orElseThrow();
      return new Anomaly(
          CHECKER,
          "read-before-write",
          key,
          read(r)
              + ", but "
              + value
              + " was first written by "
              + OpText.brief(w.op())
              + ", invoked at "
              + OpText.time(w.invoke())
              + ", after the read had returned.",
          List.of(r, w.op()));
    }
    if (!writers.isEmpty()) {
      Op w = writers.get(0).op();
      return new Anomaly(
          CHECKER,
          "read-of-failed-write",
          key,
          read(r)
              + ", but the only write of "
              + value
              + ", "
              + OpText.full(w)
              + ", failed ("
              + w.error()
              + "), so it never took effect.",
          List.of(r, w));
    }
    return new Anomaly(
        CHECKER,
        "read-of-unwritten-value",
        key,
        read(r) + ", but no operation wrote " + value + " to " + key + ".",
        List.of(r));
  }

  /** Older than the read-your-writes token allows. */
  static Anomaly belowToken(Op r, KeyWrite source, KeyWrite floor) {
    String key = r.mops().get(0).key();
    String text =
        read(r)
            + " with read-your-writes token "
            + r.minSequence()
            + (r.sequence() > 0 ? " (replica at sequence " + r.sequence() + ")" : "")
            + ", but "
            + OpText.brief(floor.op())
            + " was acknowledged with sequence "
            + floor.sequence()
            + ", within the token, and "
            + staleness(key, source);
    return new Anomaly(CHECKER, "read-your-writes-violation", key, text, ops(r, source, floor));
  }

  /** Older than what the same client read from the key before. */
  static Anomaly wentBack(Op r, KeyWrite source, KeyWrite seen, Op earlierRead) {
    String key = r.mops().get(0).key();
    String text =
        read(r)
            + ", but the same client had already read "
            + OpText.value(seen.value())
            + " (written by "
            + OpText.brief(seen.op())
            + " at sequence "
            + seen.sequence()
            + ") from "
            + key
            + " on "
            + earlierRead.node()
            + " during "
            + OpText.interval(earlierRead)
            + ", and "
            + staleness(key, source);
    List<Op> ops = ops(r, source, seen);
    ops.add(earlierRead);
    return new Anomaly(CHECKER, "non-monotonic-read", key, text, ops);
  }

  private static String staleness(String key, KeyWrite source) {
    return source == null
        ? "no delete of " + key + " after it explains the absence."
        : "the value read comes from "
            + OpText.brief(source.op())
            + " at the earlier sequence "
            + source.sequence()
            + ".";
  }

  private static List<Op> ops(Op r, KeyWrite source, KeyWrite floor) {
    List<Op> ops = new ArrayList<>();
    ops.add(r);
    if (source != null) {
      ops.add(source.op());
    }
    ops.add(floor.op());
    return ops;
  }
}
