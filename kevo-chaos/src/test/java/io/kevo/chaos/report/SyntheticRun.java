package io.kevo.chaos.report;

import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A made-up but plausible run, seeded: clients sending puts, gets, deletes and transactions to a
 * primary {@code n1} and replicas {@code n2}, {@code n3}, whose outcomes follow the fault windows
 * (a killed node refuses or drops calls, a paused one times them out, a slowed link slows them).
 */
final class SyntheticRun {
  static final long TIMEOUT_NANOS = 1_000_000_000L;

  private SyntheticRun() {}

  static History generate(long seed, int ops, double seconds, List<Fault> faults) {
    Random rnd = new Random(seed);
    List<Op> out = new ArrayList<>(ops);
    long span = (long) (seconds * 1e9);
    for (int i = 0; i < ops; i++) {
      long invoke = (long) ((double) i / ops * span) + rnd.nextInt(1_000_000);
      int client = rnd.nextInt(16);
      double r = rnd.nextDouble();
      Op.Kind kind =
          r < 0.35 ? Op.Kind.PUT : r < 0.75 ? Op.Kind.GET : r < 0.85 ? Op.Kind.DELETE : Op.Kind.TXN;
      Op.Target target =
          kind == Op.Kind.GET && rnd.nextBoolean() ? Op.Target.REPLICA : Op.Target.PRIMARY;
      String node = target == Op.Target.PRIMARY ? "n1" : (rnd.nextBoolean() ? "n2" : "n3");
      double latencyMs =
          Math.exp(rnd.nextGaussian() * 0.6) * (kind == Op.Kind.GET ? 0.4 : 1.5)
              + (kind == Op.Kind.TXN ? 2 : 0);
      Outcome outcome = rnd.nextInt(200) == 0 ? Outcome.FAIL : Outcome.OK;
      String error = outcome == Outcome.FAIL ? "ABORTED: transaction conflict" : null;
      for (Fault f : faults) {
        if (invoke < f.startNanos() || invoke > f.endNanos() || !affects(f, node)) {
          continue;
        }
        switch (f.kind()) {
          case "kill" -> {
            boolean refused = rnd.nextInt(10) < 7;
            outcome = refused ? Outcome.FAIL : Outcome.UNKNOWN;
            error = refused ? "UNAVAILABLE: io exception: Connection refused" : "DEADLINE_EXCEEDED";
            latencyMs = refused ? 0.2 + rnd.nextDouble() : TIMEOUT_NANOS / 1e6;
          }
          case "pause" -> {
            outcome = Outcome.UNKNOWN;
            error = "DEADLINE_EXCEEDED: deadline exceeded after 0.999s";
            latencyMs = TIMEOUT_NANOS / 1e6;
          }
          default -> latencyMs *= 20 + rnd.nextInt(80);
        }
      }
      long complete = invoke + (long) (latencyMs * 1e6);
      String key = "k" + rnd.nextInt(50);
      String value = "v" + client + "-" + i;
      boolean ok = outcome == Outcome.OK;
      List<Mop> mops =
          switch (kind) {
            case PUT -> List.of(Mop.put(key, value));
            case DELETE -> List.of(Mop.delete(key));
            case GET -> List.of(Mop.read(key, ok && rnd.nextInt(5) > 0 ? "v3-" + i / 2 : null));
            case TXN -> {
              String other = "k" + rnd.nextInt(50);
              yield List.of(
                  Mop.read(key, ok ? "v1-" + i / 3 : null),
                  Mop.read(other, null),
                  Mop.put(key, value + "a"),
                  Mop.put(other, value + "b"));
            }
            case BATCH -> List.of(Mop.put(key, value + "a"), Mop.put("big0", value + "b"));
          };
      long sequence = ok && kind != Op.Kind.GET ? i + 1 : 0;
      out.add(
          new Op(
              i,
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
              sequence == 0 ? 0 : 1,
              0));
    }
    return new History(out, faults, List.of());
  }

  private static boolean affects(Fault f, String node) {
    return f.target().equals(node) || f.target().contains(node + "->") || f.target().endsWith(node);
  }

  static Fault fault(String kind, String target, double startS, double endS, String detail) {
    return new Fault(kind, target, (long) (startS * 1e9), (long) (endS * 1e9), detail);
  }

  /** Three windows over a two-minute run: the primary killed, a replica paused, a link slowed. */
  static List<Fault> threeFaults() {
    return List.of(
        fault("kill", "n1", 20, 32, "kill -9, restarted on the same data"),
        fault("pause", "n2", 55, 70, "SIGSTOP / SIGCONT"),
        fault("slow", "n1->n3", 85, 105, "+50 ms per packet"));
  }
}
