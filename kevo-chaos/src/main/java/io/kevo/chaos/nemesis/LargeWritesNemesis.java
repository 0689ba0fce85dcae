package io.kevo.chaos.nemesis;

import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.workload.OpRunner;
import io.kevo.chaos.workload.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A burst of large writes while the register workload runs: atomic batches of 20 values of 512 KiB
 * (10 MiB, the batch that once stalled replication for good), batches of 200 values of 16 KiB, and
 * single values of 4 MiB, on keys of their own ({@code big00}...). They are operations of the
 * history like any other, by client {@value #CLIENT}, so the checkers judge them too.
 */
public final class LargeWritesNemesis implements Nemesis {
  static final int CLIENT = 1000;
  private static final int KEYS = 40;
  private long written;

  @Override
  public String kind() {
    return "large-writes";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    long start = ctx.recorder().now();
    long end = System.nanoTime() + hold.toNanos();
    int ops = 0;
    int ok = 0;
    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
      String primary = ctx.cluster().primary();
      OpRunner.Target t =
          new OpRunner.Target(primary, ctx.cluster().node(primary).address(), Op.Target.PRIMARY);
      Op op =
          switch (random.nextInt(3)) {
            case 0 -> ctx.runner().batch(CLIENT, t, values(random, 20, 512 << 10));
            case 1 -> ctx.runner().batch(CLIENT, t, values(random, 200, 16 << 10));
            default -> {
              Mop m = values(random, 1, 4 << 20).get(0);
              yield ctx.runner().put(CLIENT, t, m.key(), m.value());
            }
          };
      ops++;
      if (op.outcome() == io.kevo.chaos.history.Outcome.OK) {
        ok++;
      }
      NemesisContext.sleep(200);
    }
    return new Fault(
        kind(), "primary", start, ctx.recorder().now(), ops + " large writes, " + ok + " ok");
  }

  private List<Mop> values(SplittableRandom random, int count, int bytes) {
    List<Mop> out = new ArrayList<>(count);
    List<String> keys = new ArrayList<>();
    while (out.size() < count) {
      String key = String.format("big%02d", random.nextInt(KEYS));
      if (count <= KEYS && keys.contains(key)) {
        continue;
      }
      keys.add(key);
      out.add(Mop.put(key, Values.bigName(CLIENT, ++written, bytes)));
    }
    return out;
  }
}
