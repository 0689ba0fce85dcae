package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import java.time.Duration;
import java.util.SplittableRandom;

/** kill -9 of a random node (the primary included), then a restart on the same data and port. */
public final class KillNemesis implements Nemesis {
  @Override
  public String kind() {
    return "kill";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster.Node victim = ctx.cluster().anyNode(random);
    String role = ctx.cluster().roleOf(victim.name());
    long start = ctx.recorder().now();
    ctx.cluster().kill(victim.name());
    NemesisContext.sleep(hold.toMillis());
    ctx.cluster().restart(victim.name());
    return new Fault(
        kind(),
        victim.name(),
        start,
        ctx.recorder().now(),
        "kill -9 of the " + role + ", restarted");
  }
}
