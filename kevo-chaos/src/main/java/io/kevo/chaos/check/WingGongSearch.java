package io.kevo.chaos.check;

import java.util.Arrays;
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
 * failed (or the search would have ended), so it is skipped; this is what keeps the search
 * near-linear on the histories real systems produce ({@link ConfigSet} stores them compactly).
 *
 * <p>One reduction of our own on top: a pending read-only operation whose reads the register's
 * state satisfies is linearized at once, before any other candidate, and is never revisited as a
 * choice (see {@link #takeSafeReads}). Without it the search tries writes first and backtracks over
 * every read that wanted the older value; on hot keys that was the difference between a second and
 * running out of budget.
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
  private final ConfigSet seen = new ConfigSet();
  // The linearized set's first missing op and highest member (-1: none), for ConfigSet.
  private int lo;
  private int hi = -1;
  // The choice stack: per depth, the op pushed and what it changed.
  private final int[] stackOp;
  private final int[] stackState;
  private final int[] stackLo;
  private final int[] stackHi;
  private final boolean[] stackForced;
  private int depth;
  private int state = KeyHistory.ABSENT;
  private long hash;
  private int pendingFinite;
  private long steps;
  // The deepest dead end, for the report.
  private int bestDepth = -1;
  private int stuckOp = -1;
  private int[] tail = new int[0];
  private int stuckState;

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
    this.stackOp = new int[n];
    this.stackState = new int[n];
    this.stackLo = new int[n];
    this.stackHi = new int[n];
    this.stackForced = new boolean[n];
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
    for (int i = 0; i < n; i++) {
      pendingFinite += h.ret[i] == Long.MAX_VALUE ? 0 : 1;
    }
    int p = takeSafeReads() ? next[0] : backtrack();
    while (pendingFinite > 0 && p >= 0) {
      if (steps > maxSteps) {
        return result(Verdict.OUT_OF_BUDGET);
      }
      if (p > 2 * n) {
        // Unreachable: an op with a known return still pending leaves its return in the list.
        throw new IllegalStateException("search ran off the event list of " + h.key);
      }
      int event = eventAt[p];
      int op = event >> 1;
      if ((event & 1) == 0) {
        if (push(op, false)) {
          p = takeSafeReads() ? next[0] : backtrack();
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
      p = backtrack();
    }
    return result(p < 0 ? Verdict.NOT_LINEARIZABLE : Verdict.LINEARIZABLE);
  }

  private Result result(Verdict verdict) {
    if (verdict == Verdict.LINEARIZABLE) {
      return new Result(verdict, steps, seen.size(), -1, 0, new int[0], state);
    }
    return new Result(verdict, steps, seen.size(), stuckOp, bestDepth, tail, stuckState);
  }

  /**
   * Linearizes, one after another, every pending read-only op that the register's state satisfies.
   * Such a move is safe: it changes no state, and in any linearization from here that op can be
   * moved to now; so it is never a choice to revisit, and if the configuration it leads to already
   * failed, this one fails too.
   *
   * @return false if this configuration is thereby known to fail
   */
  private boolean takeSafeReads() {
    for (int q = next[0]; q <= 2 * n && (eventAt[q] & 1) == 0; ) {
      int op = eventAt[q] >> 1;
      if (h.readOnly[op] && h.apply(op, state) >= 0) {
        if (!push(op, true)) {
          return false;
        }
        q = next[0];
      } else {
        q = next[q];
      }
    }
    return true;
  }

  /**
   * Undoes choices until one has an alternative: pops ops (safe reads are no choice, so it keeps
   * popping past them).
   *
   * @return the list position to resume at (just after the undone op's call), or -1 if the stack
   *     ran out: the history is not linearizable
   */
  private int backtrack() {
    while (depth > 0) {
      depth--;
      int undone = stackOp[depth];
      state = stackState[depth];
      lo = stackLo[depth];
      hi = stackHi[depth];
      hash ^= zobrist[undone];
      clear(undone);
      pendingFinite += h.ret[undone] == Long.MAX_VALUE ? 0 : 1;
      unlift(undone);
      if (!stackForced[depth]) {
        return next[callPos[undone]];
      }
    }
    return -1;
  }

  /**
   * Tries to linearize {@code op} now: applies its steps and, if they succeed and the resulting
   * configuration is new, pushes it. Counts a step.
   */
  private boolean push(int op, boolean forced) {
    steps++;
    int after = h.apply(op, state);
    if (after < 0) {
      return false;
    }
    linearized[op >> 6] |= 1L << op;
    int newLo = op == lo ? nextMissing(op + 1) : lo;
    int newHi = Math.max(hi, op);
    if (!seen.add(linearized, newLo, newHi, after, hash ^ zobrist[op])) {
      clear(op);
      return false;
    }
    stackOp[depth] = op;
    stackState[depth] = state;
    stackLo[depth] = lo;
    stackHi[depth] = hi;
    stackForced[depth] = forced;
    depth++;
    state = after;
    hash ^= zobrist[op];
    lo = newLo;
    hi = newHi;
    pendingFinite -= h.ret[op] == Long.MAX_VALUE ? 0 : 1;
    lift(op);
    return true;
  }

  /** The first op at or after {@code from} that is not linearized; {@code n} if none. */
  private int nextMissing(int from) {
    int w = from >>> 6;
    if (w >= linearized.length) {
      return n;
    }
    long missing = ~linearized[w] & (-1L << from);
    while (missing == 0) {
      if (++w == linearized.length) {
        return n;
      }
      missing = ~linearized[w];
    }
    return Math.min(n, (w << 6) + Long.numberOfTrailingZeros(missing));
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
}
