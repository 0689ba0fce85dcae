package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import io.kevo.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cuts links at their proxies, either silently (a black hole: connections stay open and nothing
 * crosses, as when a network path dies) or loudly (every connection reset, new ones refused). Two
 * shapes, chosen at random: one node isolated from everyone (clients and the other nodes), or the
 * primary cut off from its replicas while its clients still reach it.
 *
 * <p>In a coordinated cluster, whose nodes follow the primary at its client proxy (there are no
 * per-pair links), the shapes are: one node's client proxy cut (its clients, and the replicas
 * streaming from it if it is the primary, lose it; its own stream from the primary goes on), or
 * that and its link to ZooKeeper cut together.
 */
public final class PartitionNemesis implements Nemesis {
  @Override
  public String kind() {
    return "partition";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    List<TcpProxy> cut = new ArrayList<>();
    String target;
    String primary;
    if (cluster.coordinated()) {
      ChaosCluster.Node victim = cluster.anyNode(random);
      primary = cluster.primaryOf(victim.group());
      target = victim.name();
      cut.add(victim.clientProxy());
      if (random.nextBoolean()) {
        cut.add(cluster.zooKeeper().proxyFor(target));
        target = target + "+zookeeper";
      }
    } else if (random.nextBoolean()) {
      primary = cluster.primary();
      ChaosCluster.Node victim = cluster.anyNode(random);
      target = victim.name();
      cut.add(victim.clientProxy());
      for (Map.Entry<String, TcpProxy> e : cluster.links().entrySet()) {
        String[] ends = e.getKey().split("->");
        if (ends[0].equals(target) || ends[1].equals(target)) {
          cut.add(e.getValue());
        }
      }
    } else {
      primary = cluster.primary();
      target = primary + "<-replicas";
      for (String replica : cluster.replicas()) {
        cut.add(cluster.link(replica, primary));
      }
    }
    boolean blackHole = random.nextBoolean();
    long start = ctx.recorder().now();
    for (TcpProxy p : cut) {
      if (blackHole) {
        p.mode(TcpProxy.Mode.BLACK_HOLE);
      } else {
        p.cutOff();
      }
    }
    try {
      NemesisContext.sleep(hold.toMillis());
    } finally {
      for (TcpProxy p : cut) {
        p.mode(TcpProxy.Mode.PASS);
      }
    }
    return new Fault(
        kind(),
        target,
        start,
        ctx.recorder().now(),
        (blackHole ? "black hole" : "reset and refuse") + " (primary " + primary + ")");
  }
}
