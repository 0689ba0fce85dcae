package io.kevo.chaos.check;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Simulates clients running a register workload against a linearizable store, so the history it
 * produces is linearizable by construction: every operation takes effect at one instant inside its
 * interval (an unknown-outcome write possibly long after its client gave up, or never), and reads
 * return what the store held at that instant. Intervals of different clients overlap; each client
 * runs one operation at a time. Acknowledged writes carry consecutive sequences (one per write, in
 * effect order) and epoch 1. Deterministic for a seed.
 */
public final class RegisterWorkload {
  private final int clients;
  private final int keys;
  private final SplittableRandom rnd;
  private final Map<String, String> store = new HashMap<>();
  private long sequence;

  /** What the simulated store held at the end. */
  private final TreeMap<String, String> finalData = new TreeMap<>();

  public RegisterWorkload(int clients, int keys, long seed) {
    this.clients = clients;
    this.keys = keys;
    this.rnd = new SplittableRandom(seed);
  }

  /** An op before its reads are known, with the instant it takes effect (MAX: never). */
  private record Draft(
      long id,
      int client,
      Op.Kind kind,
      List<Mop> mops,
      long invoke,
      long complete,
      long effect,
      Outcome outcome) {}

  /** Generates {@code count} operations. */
  public List<Op> generate(int count) {
    PriorityQueue<long[]> free = new PriorityQueue<>(Comparator.comparingLong(c -> c[1]));
    for (int c = 0; c < clients; c++) {
      free.add(new long[] {c, rnd.nextLong(50_000)});
    }
    int[] written = new int[clients];
    List<Draft> drafts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long[] next = free.poll();
      int client = (int) next[0];
      long invoke = next[1] + rnd.nextLong(20_000);
      long latency = 100_000 + rnd.nextLong(1_900_000);
      int roll = rnd.nextInt(100);
      Outcome outcome = roll < 1 ? Outcome.FAIL : roll < 3 ? Outcome.UNKNOWN : Outcome.OK;
      long complete = outcome == Outcome.UNKNOWN ? invoke + 5_000_000 : invoke + latency;
      long effect = invoke + rnd.nextLong(latency);
      if (outcome == Outcome.FAIL || outcome == Outcome.UNKNOWN && rnd.nextBoolean()) {
        effect = Long.MAX_VALUE;
      } else if (outcome == Outcome.UNKNOWN) {
        effect = invoke + rnd.nextLong(20_000_000); // maybe long after the client gave up
      }
      String key = key();
      String value = "c" + client + "-" + ++written[client];
      int which = rnd.nextInt(100);
      Op.Kind kind;
      List<Mop> mops;
      if (which < 45) {
        kind = Op.Kind.GET;
        mops = List.of(Mop.read(key, null));
      } else if (which < 85) {
        kind = Op.Kind.PUT;
        mops = List.of(Mop.put(key, value));
      } else if (which < 90) {
        kind = Op.Kind.DELETE;
        mops = List.of(Mop.delete(key));
      } else {
        String other = key();
        while (other.equals(key)) {
          other = key();
        }
        kind = Op.Kind.TXN;
        mops =
            List.of(
                Mop.read(key, null),
                Mop.read(other, null),
                Mop.put(key, value),
                Mop.put(other, value + "b"));
      }
      drafts.add(new Draft(i, client, kind, mops, invoke, complete, effect, outcome));
      free.add(new long[] {client, complete});
    }
    return run(drafts);
  }

  private String key() {
    return "k" + rnd.nextInt(keys);
  }

  /** Applies the drafts in effect order and records what each read saw. */
  private List<Op> run(List<Draft> drafts) {
    List<Draft> byEffect = new ArrayList<>(drafts);
    byEffect.sort(Comparator.comparingLong(Draft::effect).thenComparingLong(Draft::id));
    List<Op> ops = new ArrayList<>(drafts.size());
    for (Draft d : byEffect) {
      boolean applies = d.effect != Long.MAX_VALUE;
      List<Mop> mops = new ArrayList<>();
      long seq = 0;
      for (Mop m : d.mops) {
        if (!m.isWrite()) {
          String seen = applies && d.outcome == Outcome.OK ? store.get(m.key()) : null;
          mops.add(Mop.read(m.key(), seen));
        } else {
          mops.add(m);
          if (applies) {
            seq = ++sequence;
            if (m.value() == null) {
              store.remove(m.key());
            } else {
              store.put(m.key(), m.value());
            }
          }
        }
      }
      boolean okWrite = d.outcome == Outcome.OK && seq > 0;
      ops.add(
          new Op(
              d.id,
              d.client,
              "n1",
              Op.Target.PRIMARY,
              d.kind,
              mops,
              d.invoke,
              d.complete,
              d.outcome,
              d.outcome == Outcome.OK ? null : "DEADLINE_EXCEEDED",
              okWrite ? seq : 0,
              okWrite ? 1 : 0,
              0));
    }
    finalData.clear();
    finalData.putAll(store);
    ops.sort(Comparator.comparingLong(Op::invokeNanos).thenComparingLong(Op::id));
    return ops;
  }

  /** The store's contents after the last generated operation took effect. */
  public TreeMap<String, String> finalData() {
    return new TreeMap<>(finalData);
  }

  /** The last sequence the store assigned. */
  public long lastSequence() {
    return sequence;
  }
}
