package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * SIGSTOP of a random node, then SIGCONT: the process keeps its sockets but does nothing, as in a
 * long garbage-collection or virtual-machine pause; its peers see it stall, not die. In a
 * coordinated cluster its 2–8 s hold may or may not outlast the node's ZooKeeper session; {@code
 * session-expire} always does.
 */
public final class PauseNemesis implements Nemesis {
  @Override
  public String kind() {
    return "pause";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster.Node victim = ctx.cluster().anyNode(random);
    String role = ctx.cluster().roleOf(victim.name());
    long start = ctx.recorder().now();
    victim.process().pause();
    try {
      NemesisContext.sleep(hold.toMillis());
    } finally {
      victim.process().resume();
    }
    return new Fault(kind(), victim.name(), start, ctx.recorder().now(), "SIGSTOP of the " + role);
  }
}
