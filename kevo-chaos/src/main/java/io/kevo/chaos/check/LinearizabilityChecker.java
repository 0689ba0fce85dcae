package io.kevo.chaos.check;

import io.kevo.chaos.history.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that operations are linearizable with respect to a register per key: partitions them by
 * key, projects each operation onto each key it touches, and runs {@link WingGongSearch} on every
 * key within {@link CheckOptions#maxStepsPerKey()} steps.
 *
 * <p>Which operations to check is the caller's choice: the harness passes those it sent to the
 * primary; passing replica reads as well shows whether they are linearizable (they need not be).
 * Failed operations are ignored (they never took effect); operations with an unknown outcome may
 * take effect at any time after their invocation or never, and their reads constrain nothing.
 *
 * <p>A transaction is projected onto each of its keys as an atomic read-modify-write of that key.
 * The projection cannot see a violation of the transaction's atomicity across its two keys (for
 * example, one transaction observing half of another); it proves per-key linearizability only.
 *
 * <p>Result: {@link Status#VALID} when every key is linearizable; {@link Status#INVALID} when some
 * key is not (one anomaly per such key; kinds in {@link LinearizabilityExplainer}: the first op of
 * the anomaly is the one that could not be linearized); otherwise {@link Status#UNKNOWN} when some
 * key's search ran out of budget (kind {@code search-budget-exhausted}, one per such key). {@code
 * opsChecked} counts the operations that took part in some key's search.
 *
 * <p>Stateless apart from its options; thread-safe.
 */
public final class LinearizabilityChecker {
  /** The checker's name in results. */
  public static final String NAME = "linearizability";

  private static final Logger LOG = LoggerFactory.getLogger(LinearizabilityChecker.class);

  private final CheckOptions options;

  public LinearizabilityChecker(CheckOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Checks {@code ops}; same as {@code check(ops, "")}. */
  public CheckResult check(List<Op> ops) {
    return check(ops, "");
  }

  /**
   * Checks {@code ops}, in any order.
   *
   * @param scope words for the summary that say what was checked, e.g. {@code on the primary}; may
   *     be empty
   */
  public CheckResult check(List<Op> ops, String scope) {
    String where = scope.isBlank() ? "" : " " + scope.strip();
    Map<String, KeyHistory> keys = KeyHistory.partition(ops);
    AnomalyLog log = new AnomalyLog(options.maxAnomalies());
    List<String> invalid = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    Set<Long> checked = new HashSet<>();
    long totalSteps = 0;
    long maxSteps = 0;
    for (KeyHistory h : keys.values()) {
      h.ops.forEach(op -> checked.add(op.id()));
      WingGongSearch.Result r = WingGongSearch.run(h, options.maxStepsPerKey());
      totalSteps += r.steps();
      maxSteps = Math.max(maxSteps, r.steps());
      switch (r.verdict()) {
        case LINEARIZABLE -> {}
        case NOT_LINEARIZABLE -> {
          invalid.add(h.key);
          log.add(LinearizabilityExplainer.explain(h, r));
        }
        case OUT_OF_BUDGET -> {
          unknown.add(h.key);
          log.add(budgetExhausted(h, r));
        }
      }
    }
    Status status =
        !invalid.isEmpty() ? Status.INVALID : !unknown.isEmpty() ? Status.UNKNOWN : Status.VALID;
    String summary =
        switch (status) {
          case VALID -> "linearizable" + where + " (" + OpText.count(keys.size()) + " keys)";
          case INVALID -> "NOT linearizable" + where + ": " + someOf(invalid, keys.size(), "");
          case UNKNOWN ->
              "linearizability unknown"
                  + where
                  + ": "
                  + someOf(unknown, keys.size(), " ran out of search budget");
        };
    Map<String, String> details = new TreeMap<>();
    details.put("keys", Integer.toString(keys.size()));
    details.put("keysNotLinearizable", Integer.toString(invalid.size()));
    details.put("keysUnknown", Integer.toString(unknown.size()));
    details.put("searchSteps", Long.toString(totalSteps));
    details.put("searchStepsMaxPerKey", Long.toString(maxSteps));
    LOG.info("{}: {} ops, {} search steps", summary, checked.size(), totalSteps);
    return new CheckResult(
        NAME, status, checked.size(), log.count(), log.kept(), summary, new TreeMap<>(details));
  }

  private Anomaly budgetExhausted(KeyHistory h, WingGongSearch.Result r) {
    String explanation =
        "The search for "
            + h.key
            + " ran out of its budget of "
            + OpText.count(options.maxStepsPerKey())
            + " steps after storing "
            + OpText.count(r.configurations())
            + " configurations of its "
            + h.size()
            + " operations, so "
            + h.key
            + " is neither proven linearizable nor refuted"
            + " (many concurrent or unknown-outcome writes make the search expensive).";
    return new Anomaly(
        NAME, "search-budget-exhausted", h.key, explanation, h.ops.stream().limit(10).toList());
  }

  /** "{@code n} of {@code total} keys{@code what} (the first few of them)". */
  private static String someOf(List<String> which, int total, String what) {
    return OpText.count(which.size())
        + " of "
        + OpText.count(total)
        + " keys"
        + what
        + " ("
        + firstFew(which)
        + ")";
  }

  private static String firstFew(List<String> keys) {
    List<String> few = keys.subList(0, Math.min(5, keys.size()));
    return String.join(", ", few) + (keys.size() > few.size() ? ", ..." : "");
  }
}
