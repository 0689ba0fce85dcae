package io.kevo.chaos.check;

import io.kevo.chaos.check.WriteIndex.KeyWrite;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that no acknowledged write was lost: after healing, the primary's final value of every key
 * (or its absence) must come from a write that no acknowledged write to that key followed.
 *
 * <p>For each key written by the run or present at the end: the <em>source</em> of the final value
 * is the write (acknowledged or of unknown outcome, never failed) that left that value, or for
 * absence a delete or the key's initial absence; among several, the one that completed last (an
 * unknown outcome completes at +infinity). Every acknowledged write to the key that was invoked
 * after the source completed should have replaced it, so each is a {@code lost-write} (the first op
 * of the anomaly; the source second). A final value that only a failed write wrote is a {@code
 * final-value-from-failed-write}, one nobody wrote a {@code final-value-never-written}.
 *
 * <p>What it does not prove: that intermediate values were durable (a write overwritten before the
 * end could have been lost and nobody would know; the linearizability checker sees some of that),
 * or anything about replicas (see {@link ConvergenceChecker}).
 *
 * <p>{@code opsChecked} counts the acknowledged writes judged. Stateless apart from its options;
 * thread-safe.
 */
public final class LostWriteChecker {
  /** The checker's name in results. */
  public static final String NAME = "lost-writes";

  private final CheckOptions options;

  public LostWriteChecker(CheckOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * @param ops the run's operations, any target and outcome, in any order
   * @param primaryFinal the primary's contents after healing; null if they could not be read, which
   *     makes the result {@link Status#UNKNOWN}
   */
  public CheckResult check(List<Op> ops, NodeState primaryFinal) {
    WriteIndex index = WriteIndex.of(ops);
    long acknowledged =
        index.keys().stream().flatMap(k -> index.to(k).stream()).filter(KeyWrite::ok).count();
    if (primaryFinal == null) {
      return new CheckResult(
          NAME,
          Status.UNKNOWN,
          0,
          0,
          List.of(),
          "lost writes unknown (no final state of the primary)",
          null);
    }
    AnomalyLog log = new AnomalyLog(options.maxAnomalies());
    TreeSet<String> keys = new TreeSet<>(index.keys());
    keys.addAll(primaryFinal.data().keySet());
    TreeSet<String> lossyKeys = new TreeSet<>();
    for (String key : keys) {
      String value = primaryFinal.data().get(key);
      List<KeyWrite> sources = index.leaving(key, value).stream().filter(w -> !w.failed()).toList();
      if (value != null && sources.isEmpty()) {
        log.add(phantom(key, value, index.leaving(key, value)));
        continue;
      }
      KeyWrite source = null; // null: the key's initial absence
      for (KeyWrite w : sources) {
        source = source == null || w.complete() > source.complete() ? w : source;
      }
      long since = source == null ? Long.MIN_VALUE : source.complete();
      for (KeyWrite w : index.to(key)) {
        if (w.ok() && w.invoke() > since) {
          lossyKeys.add(key);
          log.add(lost(w, value, source));
        }
      }
    }
    long lost = log.count("lost-write");
    long phantoms = log.count() - lost;
    Status status = log.count() == 0 ? Status.VALID : Status.INVALID;
    String summary =
        OpText.count(lost)
            + (lost == 1 ? " lost write" : " lost writes")
            + (lost > 0 ? " (" + OpText.count(lossyKeys.size()) + " keys)" : "")
            + (phantoms > 0 ? "; " + OpText.count(phantoms) + " final values nobody wrote" : "");
    Map<String, String> details = new TreeMap<>();
    details.put("acknowledgedWrites", Long.toString(acknowledged));
    details.put("lostWrites", Long.toString(lost));
    details.put("keysWithLostWrites", Integer.toString(lossyKeys.size()));
    details.put("finalValuesNobodyWrote", Long.toString(phantoms));
    details.put("keys", Integer.toString(keys.size()));
    return new CheckResult(
        NAME, status, acknowledged, log.count(), log.kept(), summary, new TreeMap<>(details));
  }

  private static Anomaly lost(KeyWrite w, String value, KeyWrite source) {
    String k = w.key();
    String text = OpText.full(w.op()) + " was acknowledged, but the primary ends with ";
    List<Op> ops = new ArrayList<>();
    ops.add(w.op());
    if (source == null) {
      text +=
          k + " absent and no operation deleted " + k + ", so this acknowledged write was lost.";
    } else {
      ops.add(source.op());
      text +=
          k
              + "="
              + OpText.value(value)
              + ", left by "
              + OpText.brief(source.op())
              + ", which completed at "
              + OpText.time(source.complete())
              + ", before this write was invoked at "
              + OpText.time(w.invoke())
              + "; nothing that could have come after this write left that value, so it was lost.";
    }
    return new Anomaly(NAME, "lost-write", k, text, ops);
  }

  private static Anomaly phantom(String key, String value, List<KeyWrite> failed) {
    if (failed.isEmpty()) {
      return new Anomaly(
          NAME,
          "final-value-never-written",
          key,
          "The primary ends with " + key + "=" + value + ", a value no operation wrote.",
          List.of());
    }
    Op op = failed.get(0).op();
    return new Anomaly(
        NAME,
        "final-value-from-failed-write",
        key,
        "The primary ends with "
            + key
            + "="
            + value
            + ", which only "
            + OpText.full(op)
            + " wrote, and it failed ("
            + op.error()
            + "), so it should never have taken effect.",
        List.of(op));
  }
}
