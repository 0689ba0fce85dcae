package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * kill -9 of a node, then a restart on the same data and port. Without a coordinator: a random node
 * (the primary included), restarted in its role. With one: the primary half the time, else a random
 * node; the cluster fails over by itself (at once, since the dead primary's port refuses
 * connections), and the killed node restarts with the command line it started with and rejoins as a
 * replica by itself. In a sharded cluster "the primary" is a shard's, drawn at random.
 */
public final class KillNemesis implements Nemesis {
  @Override
  public String kind() {
    return "kill";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    String victim =
        cluster.coordinated() && random.nextBoolean() ? cluster.anyPrimary(random) : null;
    if (victim == null) {
      victim = cluster.anyNode(random).name();
    }
    String group = cluster.node(victim).group();
    String role = cluster.roleOf(victim);
    long epoch = cluster.epochOf(group);
    long start = ctx.recorder().now();
    cluster.kill(victim);
    NemesisContext.sleep(hold.toMillis());
    String after =
        cluster.coordinated()
            ? "; primary then " + cluster.primaryOf(group) + " in epoch " + cluster.epochOf(group)
            : "";
    cluster.restart(victim);
    return new Fault(
        kind(),
        victim,
        start,
        ctx.recorder().now(),
        "kill -9 of the "
            + role
            + (cluster.coordinated() ? " (epoch " + epoch + ")" : "")
            + after
            + ", restarted");
  }
}
