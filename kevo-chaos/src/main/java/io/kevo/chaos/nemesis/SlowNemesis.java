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
 * Throttles every link of one node (its clients' and its replication links) to a trickle, as a
 * saturated or lossy network would: calls slow down and time out, replication lags. In a
 * coordinated cluster that is its client proxy alone, which also carries the streams of the
 * replicas that follow it (there are no per-pair links).
 */
public final class SlowNemesis implements Nemesis {
  private static final long[] RATES = {16 << 10, 64 << 10, 256 << 10};

  @Override
  public String kind() {
    return "slow";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    ChaosCluster.Node victim = cluster.anyNode(random);
    long rate = RATES[random.nextInt(RATES.length)];
    List<TcpProxy> slowed = new ArrayList<>();
    slowed.add(victim.clientProxy());
    for (Map.Entry<String, TcpProxy> e : cluster.links().entrySet()) {
      String[] ends = e.getKey().split("->");
      if (ends[0].equals(victim.name()) || ends[1].equals(victim.name())) {
        slowed.add(e.getValue());
      }
    }
    long start = ctx.recorder().now();
    for (TcpProxy p : slowed) {
      p.throttle(rate);
    }
    try {
      NemesisContext.sleep(hold.toMillis());
    } finally {
      for (TcpProxy p : slowed) {
        p.mode(TcpProxy.Mode.PASS);
      }
    }
    return new Fault(
        kind(), victim.name(), start, ctx.recorder().now(), (rate >> 10) + " KiB/s per direction");
  }
}
