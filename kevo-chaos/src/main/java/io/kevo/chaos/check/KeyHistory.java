package io.kevo.chaos.check;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The projection of a history onto one key, compiled for the search: each operation that can matter
 * becomes its interval and a short program of steps on the key's register.
 *
 * <p>Values are interned per key: id 0 is "absent", ids from 1 are the strings in {@link #value}. A
 * step is an int: {@code 2 * id} writes value {@code id}; {@code 2 * id + 1} reads it (the register
 * must hold {@code id}, else the step fails).
 *
 * <p>What is dropped, and why that changes no verdict: failed operations (they never took effect);
 * an operation with an unknown outcome that writes nothing to the key (its reads constrain
 * nothing); and an unknown-outcome write whose value no acknowledged read on the key saw (placing
 * it last, where nothing can observe it, is always possible and is the same as never). An unknown
 * outcome's steps on the key reduce to its last write (the operation is atomic, so its intermediate
 * writes are invisible) and its return time is +infinity. Immutable.
 */
final class KeyHistory {
  static final int ABSENT = 0;

  final String key;

  /** The operations kept for the search; indices into this list are the search's op numbers. */
  final List<Op> ops;

  final long[] call;
  final long[] ret;
  final int[][] steps;

  /** Whether op i only reads (every step a read). */
  final boolean[] readOnly;

  private final List<String> values;

  /** Every operation given that touched the key, whatever its outcome, for explanations. */
  final List<Op> context;

  private KeyHistory(
      String key,
      List<Op> ops,
      long[] call,
      long[] ret,
      int[][] steps,
      List<String> values,
      List<Op> context) {
    this.key = key;
    this.ops = ops;
    this.call = call;
    this.ret = ret;
    this.steps = steps;
    this.readOnly = new boolean[steps.length];
    for (int i = 0; i < steps.length; i++) {
      readOnly[i] = Arrays.stream(steps[i]).allMatch(step -> (step & 1) == 1);
    }
    this.values = values;
    this.context = context;
  }

  int size() {
    return ops.size();
  }

  /** The value an id stands for; null for {@link #ABSENT}. */
  String value(int id) {
    return id == ABSENT ? null : values.get(id - 1);
  }

  /** Runs op {@code i}'s steps from register state {@code state}: the new state, or -1. */
  int apply(int i, int state) {
    int s = state;
    for (int step : steps[i]) {
      int id = step >>> 1;
      if ((step & 1) == 0) {
        s = id;
      } else if (s != id) {
        return -1;
      }
    }
    return s;
  }

  /** Projects {@code ops} onto every key they touch; sorted by key. */
  static Map<String, KeyHistory> partition(List<Op> ops) {
    Map<String, Builder> builders = new TreeMap<>();
    for (Op op : ops) {
      Map<String, List<Mop>> byKey = new LinkedHashMap<>();
      for (Mop m : op.mops()) {
        byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
      }
      byKey.forEach((key, mops) -> builders.computeIfAbsent(key, Builder::new).add(op, mops));
    }
    Map<String, KeyHistory> out = new TreeMap<>();
    builders.forEach((key, b) -> out.put(key, b.build()));
    return out;
  }

  private static final class Builder {
    private final String key;
    private final List<Op> context = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final List<int[]> steps = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    Builder(String key) {
      this.key = key;
    }

    private int id(String value) {
      if (value == null) {
        return ABSENT;
      }
      return ids.computeIfAbsent(
          value,
          v -> {
            values.add(v);
            return values.size();
          });
    }

    void add(Op op, List<Mop> mops) {
      context.add(op);
      if (op.outcome() == Outcome.FAIL) {
        return;
      }
      if (op.outcome() == Outcome.UNKNOWN) {
        Mop last = null;
        for (Mop m : mops) {
          last = m.isWrite() ? m : last;
        }
        if (last != null) {
          ops.add(op);
          steps.add(new int[] {2 * id(last.value())});
        }
        return;
      }
      int[] program = new int[mops.size()];
      for (int i = 0; i < program.length; i++) {
        Mop m = mops.get(i);
        program[i] = 2 * id(m.value()) + (m.isWrite() ? 0 : 1);
      }
      ops.add(op);
      steps.add(program);
    }

    KeyHistory build() {
      int ids = values.size() + 1;
      long[] firstReaderReturn = new long[ids]; // over acknowledged reads of each value
      Arrays.fill(firstReaderReturn, Long.MAX_VALUE);
      int[] writers = new int[ids];
      for (int i = 0; i < ops.size(); i++) {
        for (int step : steps.get(i)) {
          int id = step >>> 1;
          if ((step & 1) == 1) {
            firstReaderReturn[id] = Math.min(firstReaderReturn[id], ops.get(i).completeNanos());
          } else {
            writers[id]++;
          }
        }
      }
      List<Integer> order = new ArrayList<>();
      long[] ret = new long[ops.size()];
      for (int i = 0; i < ops.size(); i++) {
        Op op = ops.get(i);
        ret[i] = op.completeNanos();
        if (op.outcome() == Outcome.UNKNOWN) {
          int id = steps.get(i)[0] >>> 1;
          if (firstReaderReturn[id] == Long.MAX_VALUE) {
            continue; // nobody saw its value: drop it
          }
          // The sole writer of a value someone read must take effect before that read returns.
          boolean sole = id != ABSENT && writers[id] == 1;
          ret[i] = sole ? Math.max(op.invokeNanos(), firstReaderReturn[id]) : Long.MAX_VALUE;
        }
        order.add(i);
      }
      order.sort(
          Comparator.comparingLong((Integer i) -> ops.get(i).invokeNanos())
              .thenComparingLong(i -> ops.get(i).id()));
      int n = order.size();
      List<Op> kept = new ArrayList<>(n);
      int[][] keptSteps = new int[n][];
      long[] keptCall = new long[n];
      long[] keptRet = new long[n];
      for (int j = 0; j < n; j++) {
        int i = order.get(j);
        kept.add(ops.get(i));
        keptSteps[j] = steps.get(i);
        keptCall[j] = ops.get(i).invokeNanos();
        keptRet[j] = ret[i];
      }
      return new KeyHistory(
          key,
          List.copyOf(kept),
          keptCall,
          keptRet,
          keptSteps,
          List.copyOf(values),
          List.copyOf(context));
    }
  }
}
