package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import io.kevo.testkit.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cuts one node off from ZooKeeper at its own proxy to it, holds, restores the link: the primary
 * two times in three, else another node. Silently (a black hole) or loudly (resets and refusals),
 * at random. The node still reaches its clients and its peers. A primary so cut must stop
 * acknowledging writes within half a session timeout, and is replaced if the cut outlasts its
 * session; a replica so cut cannot be elected. In a sharded cluster, a node of a shard drawn at
 * random; {@code shard-zk-cut} cuts every node of a shard.
 */
public final class ZooKeeperCutNemesis implements Nemesis {
  @Override
  public String kind() {
    return "zk-cut";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    String victim = primaryMostly(cluster, random);
    String group = cluster.node(victim).group();
    String role = cluster.roleOf(victim);
    long epoch = cluster.epochOf(group);
    TcpProxy link = cluster.zooKeeper().proxyFor(victim);
    boolean blackHole = random.nextBoolean();
    long start = ctx.recorder().now();
    if (blackHole) {
      link.mode(TcpProxy.Mode.BLACK_HOLE);
    } else {
      link.cutOff();
    }
    try {
      NemesisContext.sleep(hold.toMillis());
    } finally {
      link.mode(TcpProxy.Mode.PASS);
    }
    return new Fault(
        kind(),
        victim,
        start,
        ctx.recorder().now(),
        (blackHole ? "black hole" : "reset and refuse")
            + " between the "
            + role
            + " (epoch "
            + epoch
            + ") and ZooKeeper; primary now "
            + cluster.primaryOf(group)
            + " in epoch "
            + cluster.epochOf(group));
  }

  /**
   * The primary two times in three, else one of the other nodes of its group; in a sharded cluster,
   * of a shard drawn at random. Any node while no primary is known.
   */
  static String primaryMostly(ChaosCluster cluster, SplittableRandom random) {
    String primary = cluster.anyPrimary(random);
    if (primary == null) {
      return cluster.anyNode(random).name();
    }
    List<String> replicas = cluster.peersOf(primary);
    if (replicas.isEmpty() || random.nextInt(3) < 2) {
      return primary;
    }
    return replicas.get(random.nextInt(replicas.size()));
  }
}
