package io.kevo.chaos.check;

import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;

/**
 * Decides whether one key's projected history ({@link KeyHistory}) is linearizable: Wing and Gong's
 * backtracking search over the history's call and return events, with Lowe's memoisation of the
 * configurations already explored.
 *
 * <p>The events sit in a doubly linked list in time order (a call before a return at the same
 * instant, so touching intervals count as concurrent). The search walks the list from its head: at
 * a call it tries to linearize that operation now (apply its steps to the register); if the steps
 * succeed and the configuration (the set of operations linearized so far, the register's state) is
 * new, it pushes the choice, unlinks the operation's call and return and starts again from the
 * head. Reaching a return means the operation it ends should already have been linearized: the
 * search pops the last choice, relinks it and tries the next call after it. It succeeds when every
 * operation with a known return is linearized (the rest have unknown outcomes, only write, and can
 * all go last) and fails when it must pop from an empty stack. A configuration seen before already
 * failed (or the search would have ended), so it is skipped; this is what makes the search
 * polynomial on the histories real systems produce.
 *
 * <p>For the anomaly report it remembers the deepest point at which it had to backtrack: the
 * operation whose return forced it, the last few operations of that linearized prefix and the
 * register's state there. Not thread-safe; one instance per search.
 */
final class WingGongSearch {
  /** How a search ended. */
  enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    OUT_OF_BUDGET
  }

  /**
   * The outcome of a search.
   *
   * @param verdict how it ended
   * @param steps how many steps it took
   * @param configurations how many distinct configurations it stored
   * @param stuckOp at the deepest backtrack, the op that could not be linearized before its return
   *     (-1 if the search never backtracked)
   * @param prefixLength how many ops were linearized at that point
   * @param prefixTail the last few of them, in linearization order
   * @param stateAtStuck the register's state (a value id) at that point
   */
  record Result(
      Verdict verdict,
      long steps,
      long configurations,
      int stuckOp,
      int prefixLength,
      int[] prefixTail,
      int stateAtStuck) {}

  private static final int TAIL = 5;

  private final KeyHistory h;
  private final long maxSteps;
  private final int n;
  // The event list: positions 1..2n hold events in time order; 0 is the head, 2n+1 the end.
  private final int[] next;
  private final int[] prev;
  private final int[] eventAt; // position -> event (op * 2, +1 for its return)
  private final int[] callPos;
  private final int[] retPos;
  private final long[] zobrist; // a random 64-bit tag per op; a set's hash is the xor of its tags
  private final long[] linearized;
  private final HashSet<Config> seen = new HashSet<>();
  private final Config probe;

  private WingGongSearch(KeyHistory h, long maxSteps) {
    this.h = h;
    this.maxSteps = maxSteps;
    this.n = h.size();
    this.next = new int[2 * n + 2];
    this.prev = new int[2 * n + 2];
    this.eventAt = new int[2 * n + 2];
    this.callPos = new int[n];
    this.retPos = new int[n];
    this.zobrist = new long[n];
    this.linearized = new long[(n + 63) / 64];
    this.probe = new Config(linearized, 0, 0);
    SplittableRandom random = new SplittableRandom(0x5eed_cafe_f00dL);
    for (int i = 0; i < n; i++) {
      zobrist[i] = random.nextLong();
    }
    buildEventList();
  }

  static Result run(KeyHistory h, long maxSteps) {
    return new WingGongSearch(h, maxSteps).search();
  }

  private void buildEventList() {
    Integer[] events = new Integer[2 * n];
    for (int e = 0; e < 2 * n; e++) {
      events[e] = e;
    }
    Arrays.sort(
        events,
        (a, b) -> {
          int c = Long.compare(time(a), time(b));
          if (c != 0) {
            return c;
          }
          c = Integer.compare(a & 1, b & 1); // calls first: touching intervals overlap
          return c != 0 ? c : Integer.compare(a, b);
        });
    for (int p = 0; p < 2 * n + 2; p++) {
      next[p] = p + 1;
      prev[p] = p - 1;
    }
    for (int i = 0; i < 2 * n; i++) {
      int e = events[i];
      eventAt[i + 1] = e;
      if ((e & 1) == 0) {
        callPos[e >> 1] = i + 1;
      } else {
        retPos[e >> 1] = i + 1;
      }
    }
  }

  private long time(int event) {
    int op = event >> 1;
    return (event & 1) == 0 ? h.call[op] : h.ret[op];
  }

  private Result search() {
    int[] stackOp = new int[n];
    int[] stackState = new int[n];
    int depth = 0;
    int state = KeyHistory.ABSENT;
    long hash = 0;
    int pendingFinite = 0;
    for (int i = 0; i < n; i++) {
      pendingFinite += h.ret[i] == Long.MAX_VALUE ? 0 : 1;
    }
    int bestDepth = -1;
    int stuckOp = -1;
    int[] tail = new int[0];
    int stuckState = state;
    long steps = 0;
    int p = next[0];
    while (pendingFinite > 0) {
      if (++steps > maxSteps) {
        return new Result(
            Verdict.OUT_OF_BUDGET, steps - 1, seen.size(), stuckOp, bestDepth, tail, stuckState);
      }
      if (p > 2 * n) {
        // Unreachable: an op with a known return still pending leaves its return in the list.
        throw new IllegalStateException("search ran off the event list of " + h.key);
      }
      int event = eventAt[p];
      int op = event >> 1;
      if ((event & 1) == 0) {
        int after = h.apply(op, state);
        if (after >= 0 && remember(op, after, hash ^ zobrist[op])) {
          stackOp[depth] = op;
          stackState[depth] = state;
          depth++;
          state = after;
          hash ^= zobrist[op];
          pendingFinite -= h.ret[op] == Long.MAX_VALUE ? 0 : 1;
          lift(op);
          p = next[0];
        } else {
          p = next[p];
        }
        continue;
      }
      // A return: its op should have been linearized by now. Record the deepest such dead end.
      if (depth > bestDepth) {
        bestDepth = depth;
        stuckOp = op;
        stuckState = state;
        tail = Arrays.copyOfRange(stackOp, Math.max(0, depth - TAIL), depth);
      }
      if (depth == 0) {
        return new Result(
            Verdict.NOT_LINEARIZABLE, steps, seen.size(), stuckOp, bestDepth, tail, stuckState);
      }
      depth--;
      int undone = stackOp[depth];
      state = stackState[depth];
      hash ^= zobrist[undone];
      clear(undone);
      pendingFinite += h.ret[undone] == Long.MAX_VALUE ? 0 : 1;
      unlift(undone);
      p = next[callPos[undone]];
    }
    return new Result(Verdict.LINEARIZABLE, steps, seen.size(), -1, 0, new int[0], state);
  }

  /** Marks {@code op} linearized; keeps the mark and returns true iff the result is new. */
  private boolean remember(int op, int state, long setHash) {
    linearized[op >> 6] |= 1L << op;
    probe.reset(state, setHash);
    if (seen.contains(probe)) {
      clear(op);
      return false;
    }
    seen.add(new Config(linearized.clone(), state, setHash));
    return true;
  }

  private void clear(int op) {
    linearized[op >> 6] &= ~(1L << op);
  }

  private void lift(int op) {
    unlink(callPos[op]);
    unlink(retPos[op]);
  }

  private void unlift(int op) {
    relink(retPos[op]);
    relink(callPos[op]);
  }

  private void unlink(int pos) {
    next[prev[pos]] = next[pos];
    prev[next[pos]] = prev[pos];
  }

  private void relink(int pos) {
    next[prev[pos]] = pos;
    prev[next[pos]] = pos;
  }

  /** A configuration: which ops are linearized and the register's state. */
  private static final class Config {
    private final long[] bits;
    private int state;
    private int hash;

    Config(long[] bits, int state, long setHash) {
      this.bits = bits;
      reset(state, setHash);
    }

    void reset(int state, long setHash) {
      this.state = state;
      long h = setHash ^ (state * 0x9E37_79B9_7F4A_7C15L);
      this.hash = (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Config c && c.state == state && Arrays.equals(c.bits, bits);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
