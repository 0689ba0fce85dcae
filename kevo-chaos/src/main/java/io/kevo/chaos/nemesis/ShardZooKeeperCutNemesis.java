package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import io.kevo.chaos.history.ShardLayout;
import io.kevo.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Cuts every node of one shard off from ZooKeeper at their own proxies to it (a sharded cluster
 * only), holds, restores the links: a shard drawn at random among those of the map the harness
 * holds, silently (a black hole) or loudly (resets and refusals), at random. The shard's nodes
 * still reach their clients and each other. Its primary must stop acknowledging writes within half
 * a session timeout and no node of the shard can be elected until the links return (a cut longer
 * than the 4 s session expires them all); the other shards, whose links are untouched, must go on
 * serving. The fault's detail counts the writes the other shards acknowledged during the cut.
 */
public final class ShardZooKeeperCutNemesis implements Nemesis {
  @Override
  public String kind() {
    return "shard-zk-cut";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    List<String> shards = new ArrayList<>();
    for (var r : cluster.shardMap().map().shards()) {
      if (cluster.groups().contains(r.id())) {
        shards.add(r.id());
      }
    }
    String shard = shards.get(random.nextInt(shards.size()));
    List<String> members = cluster.membersOf(shard);
    String primary = cluster.primaryOf(shard);
    long epoch = cluster.epochOf(shard);
    List<TcpProxy> links = new ArrayList<>();
    for (String m : members) {
      links.add(cluster.zooKeeper().proxyFor(m));
    }
    boolean blackHole = random.nextBoolean();
    long start = ctx.recorder().now();
    try {
      for (TcpProxy link : links) {
        if (blackHole) {
          link.mode(TcpProxy.Mode.BLACK_HOLE);
        } else {
          link.cutOff();
        }
      }
      NemesisContext.sleep(hold.toMillis());
    } finally {
      for (TcpProxy link : links) {
        link.mode(TcpProxy.Mode.PASS);
      }
    }
    long end = ctx.recorder().now();
    return new Fault(
        kind(),
        shard,
        start,
        end,
        (blackHole ? "black hole" : "reset and refuse")
            + " between shard "
            + shard
            + "'s nodes ("
            + String.join(", ", members)
            + "; primary "
            + primary
            + " in epoch "
            + epoch
            + ") and ZooKeeper; primary then "
            + cluster.primaryOf(shard)
            + " in epoch "
            + cluster.epochOf(shard)
            + "; meanwhile the other shards acknowledged "
            + othersWrites(ctx.recorder().ops(), shard, start, end));
  }

  /** The writes acknowledged by other shards' nodes in {@code [start, end]}: {@code 41 (s2 41)}. */
  static String othersWrites(List<Op> ops, String shard, long start, long end) {
    Map<String, Integer> by = new TreeMap<>();
    for (Op op : ops) {
      String s = ShardLayout.shardOfNode(op.node());
      if (op.outcome() == Outcome.OK
          && op.writes()
          && s != null
          && !s.equals(shard)
          && op.completeNanos() >= start
          && op.completeNanos() <= end) {
        by.merge(s, 1, Integer::sum);
      }
    }
    int total = by.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder b = new StringBuilder().append(total).append(" writes");
    if (!by.isEmpty()) {
      b.append(" (");
      by.forEach(
          (s, n) ->
              b.append(b.charAt(b.length() - 1) == '(' ? "" : ", ")
                  .append(s)
                  .append(' ')
                  .append(n));
      b.append(')');
    }
    return b.toString();
  }
}
