package io.kevo.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The checker against the definition: on small random one-key histories (random intervals, values,
 * outcomes, read-modify-writes), it calls a history linearizable exactly when some subset of the
 * unknown-outcome operations, in some order that respects real time, replays on a register with
 * every acknowledged read seeing what it saw.
 */
class SearchAgreesWithBruteForceTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker(CheckOptions.DEFAULT);

  @Property(tries = 3000)
  void searchAgreesWithExhaustiveEnumeration(@ForAll long seed) {
    List<Op> ops = randomHistory(new Random(seed));
    boolean expected = bruteForce(ops);
    CheckResult r = checker.check(ops);
    assertThat(r.status())
        .as("history %s", ops)
        .isEqualTo(expected ? Status.VALID : Status.INVALID);
    if (!expected) {
      assertThat(r.anomalies().get(0).ops().get(0).outcome()).isEqualTo(Outcome.OK);
    }
  }

  private static List<Op> randomHistory(Random rnd) {
    int n = 2 + rnd.nextInt(6);
    List<Op> ops = new ArrayList<>();
    String[] values = {null, "1", "2", "3"};
    for (int i = 0; i < n; i++) {
      long invoke = rnd.nextInt(20);
      long complete = invoke + rnd.nextInt(8);
      Outcome outcome =
          switch (rnd.nextInt(10)) {
            case 0 -> Outcome.FAIL;
            case 1, 2 -> Outcome.UNKNOWN;
            default -> Outcome.OK;
          };
      String seen = outcome == Outcome.OK ? values[rnd.nextInt(values.length)] : null;
      String written = values[rnd.nextInt(values.length)];
      Mop write = written == null ? Mop.delete("k") : Mop.put("k", written);
      Op.Kind kind;
      List<Mop> mops;
      switch (rnd.nextInt(4)) {
        case 0 -> {
          kind = Op.Kind.GET;
          mops = List.of(Mop.read("k", seen));
        }
        case 1 -> {
          kind = Op.Kind.TXN;
          mops = List.of(Mop.read("k", seen), write);
        }
        default -> {
          kind = written == null ? Op.Kind.DELETE : Op.Kind.PUT;
          mops = List.of(write);
        }
      }
      ops.add(
          new Op(
              i, i, "n1", Op.Target.PRIMARY, kind, mops, invoke, complete, outcome, null, 0, 0, 0));
    }
    return ops;
  }

  /** Tries every subset of the unknown ops and every real-time-respecting order. */
  static boolean bruteForce(List<Op> all) {
    List<Op> ok = all.stream().filter(o -> o.outcome() == Outcome.OK).toList();
    List<Op> unknown = all.stream().filter(o -> o.outcome() == Outcome.UNKNOWN).toList();
    for (int mask = 0; mask < 1 << unknown.size(); mask++) {
      List<Op> chosen = new ArrayList<>(ok);
      for (int i = 0; i < unknown.size(); i++) {
        if ((mask & 1 << i) != 0) {
          chosen.add(unknown.get(i));
        }
      }
      if (orders(chosen, new ArrayList<>(), new boolean[chosen.size()], null)) {
        return true;
      }
    }
    return false;
  }

  private static long end(Op op) {
    return op.outcome() == Outcome.UNKNOWN ? Long.MAX_VALUE : op.completeNanos();
  }

  private static boolean orders(List<Op> ops, List<Op> prefix, boolean[] used, String state) {
    if (prefix.size() == ops.size()) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (used[i] || !minimal(ops, used, i)) {
        continue;
      }
      Op op = ops.get(i);
      String s = state;
      boolean fits = true;
      for (Mop m : op.mops()) {
        if (m.isWrite()) {
          s = m.value();
        } else if (op.outcome() == Outcome.OK && !Objects.equals(s, m.value())) {
          fits = false;
        }
      }
      if (fits) {
        used[i] = true;
        prefix.add(op);
        if (orders(ops, prefix, used, s)) {
          return true;
        }
        prefix.remove(prefix.size() - 1);
        used[i] = false;
      }
    }
    return false;
  }

  /** Whether no unused op ended before op {@code i} began (so it may go next). */
  private static boolean minimal(List<Op> ops, boolean[] used, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (!used[j] && j != i && end(ops.get(j)) < ops.get(i).invokeNanos()) {
        return false;
      }
    }
    return true;
  }
}
