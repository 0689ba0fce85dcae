package io.kevo.chaos.check;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * A small language for hand-made histories: {@code h.put("a", "1").by(1).at(0, 10).add()}. Times
 * are milliseconds; ids increase in the order ops are added. Public so that tests of other chaos
 * packages build their histories the same way. Not thread-safe.
 */
public final class Ops {
  private final List<Op> ops = new ArrayList<>();
  private long nextId = 1;

  public List<Op> all() {
    return List.copyOf(ops);
  }

  public B put(String key, String value) {
    return new B(Op.Kind.PUT, List.of(Mop.put(key, value)));
  }

  public B get(String key, String valueOrNull) {
    return new B(Op.Kind.GET, List.of(Mop.read(key, valueOrNull)));
  }

  public B delete(String key) {
    return new B(Op.Kind.DELETE, List.of(Mop.delete(key)));
  }

  /** A transaction: its reads, then its writes, e.g. {@code txn(read(..), read(..), put(..))}. */
  public B txn(Mop... mops) {
    return new B(Op.Kind.TXN, List.of(mops));
  }

  public static long ms(long millis) {
    return millis * 1_000_000L;
  }

  /** One op under construction. */
  public final class B {
    private final Op.Kind kind;
    private final List<Mop> mops;
    private int client = 1;
    private String node = "n1";
    private Op.Target target = Op.Target.PRIMARY;
    private long invoke;
    private long complete;
    private Outcome outcome = Outcome.OK;
    private String error;
    private long sequence;
    private long epoch;
    private long minSequence;

    private B(Op.Kind kind, List<Mop> mops) {
      this.kind = kind;
      this.mops = mops;
    }

    public B by(int c) {
      client = c;
      return this;
    }

    public B at(long invokeMs, long completeMs) {
      invoke = ms(invokeMs);
      complete = ms(completeMs);
      return this;
    }

    public B unknown() {
      return unknown("DEADLINE_EXCEEDED: deadline exceeded");
    }

    /** An unknown outcome, reported with {@code err}. */
    public B unknown(String err) {
      outcome = Outcome.UNKNOWN;
      error = err;
      return this;
    }

    public B fail() {
      outcome = Outcome.FAIL;
      error = "UNAVAILABLE: connection refused";
      return this;
    }

    public B seq(long s) {
      sequence = s;
      return this;
    }

    public B epoch(long e) {
      epoch = e;
      return this;
    }

    /** Sent to node {@code n} as the primary. */
    public B on(String n) {
      target = Op.Target.PRIMARY;
      node = n;
      return this;
    }

    public B replica(String n) {
      target = Op.Target.REPLICA;
      node = n;
      return this;
    }

    public B minSeq(long m) {
      minSequence = m;
      return this;
    }

    public Op add() {
      Op op =
          new Op(
              nextId++,
              client,
              node,
              target,
              kind,
              mops,
              invoke,
              complete,
              outcome,
              error,
              sequence,
              epoch,
              minSequence);
      ops.add(op);
      return op;
    }
  }
}
