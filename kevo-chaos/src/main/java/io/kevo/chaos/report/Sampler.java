package io.kevo.chaos.report;

import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses the operations the chart draws. Up to {@code threshold} operations, all of them. Past it,
 * every operation a checker flagged and every failed or unknown one, and a sample of the successful
 * ones so that about {@code threshold} are drawn in all (never fewer than a tenth of the threshold
 * of successful ones, so that their latency stays visible when failures abound).
 *
 * <p>One exception keeps the page openable: when failed and unknown operations alone exceed {@code
 * failCap} (a long outage at a high rate), they are sampled too, down to {@code failCap}, and the
 * sample says so. Flagged operations are never left out.
 *
 * <p>Samples are deterministic: an operation is kept when a mix of its id is among the smallest of
 * its group, which spreads the sample evenly over time and over kinds without following any
 * periodic pattern of the workload.
 */
final class Sampler {
  static final int DEFAULT_THRESHOLD = 20_000;
  static final int DEFAULT_FAIL_CAP = 25_000;

  private final int threshold;
  private final int failCap;

  Sampler(int threshold, int failCap) {
    if (threshold < 1 || failCap < 1) {
      throw new IllegalArgumentException("threshold and failCap must be positive");
    }
    this.threshold = threshold;
    this.failCap = failCap;
  }

  /**
   * What was drawn, and of how many.
   *
   * @param drawn the operations to draw, in the history's order
   * @param total operations in the history
   * @param okTotal successful operations not flagged
   * @param okDrawn of those, drawn
   * @param failTotal failed or unknown operations not flagged
   * @param failDrawn of those, drawn
   * @param flagged flagged operations found in the history, all drawn
   */
  record Sample(
      List<Op> drawn,
      int total,
      int okTotal,
      int okDrawn,
      int failTotal,
      int failDrawn,
      int flagged) {
    boolean complete() {
      return drawn.size() == total;
    }
  }

  Sample sample(List<Op> ops, Set<Long> flaggedIds) {
    int flagged = 0;
    int fails = 0;
    for (Op op : ops) {
      if (flaggedIds.contains(op.id())) {
        flagged++;
      } else if (op.outcome() != Outcome.OK) {
        fails++;
      }
    }
    int oks = ops.size() - flagged - fails;
    if (ops.size() <= threshold) {
      return new Sample(List.copyOf(ops), ops.size(), oks, oks, fails, fails, flagged);
    }
    Predicate<Op> isFail = op -> !flaggedIds.contains(op.id()) && op.outcome() != Outcome.OK;
    Predicate<Op> isOk = op -> !flaggedIds.contains(op.id()) && op.outcome() == Outcome.OK;
    int failBudget = Math.min(fails, failCap);
    int okBudget = Math.min(oks, Math.max(threshold - flagged - failBudget, threshold / 10));
    long failCut = cutoff(ops, isFail, failBudget);
    long okCut = cutoff(ops, isOk, okBudget);
    List<Op> drawn = new ArrayList<>(flagged + failBudget + okBudget);
    for (Op op : ops) {
      if (flaggedIds.contains(op.id())
          || (isFail.test(op) && failBudget > 0 && mix(op.id()) <= failCut)
          || (isOk.test(op) && okBudget > 0 && mix(op.id()) <= okCut)) {
        drawn.add(op);
      }
    }
    return new Sample(List.copyOf(drawn), ops.size(), oks, okBudget, fails, failBudget, flagged);
  }

  /**
   * The largest mixed id among the {@code keep} smallest of a group: keeping ids mixed at or below
   * it keeps exactly {@code keep} (the mix is a bijection, so mixed ids are distinct). Meaningless
   * when {@code keep} is 0.
   */
  private static long cutoff(List<Op> ops, Predicate<Op> group, int keep) {
    if (keep == 0) {
      return Long.MIN_VALUE;
    }
    long[] mixed = ops.stream().filter(group).mapToLong(op -> mix(op.id())).toArray();
    if (keep >= mixed.length) {
      return Long.MAX_VALUE;
    }
    Arrays.sort(mixed);
    return mixed[keep - 1];
  }

  /** SplitMix64's finalizer: a bijection of longs that scatters consecutive ids. */
  static long mix(long id) {
    long z = id + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
