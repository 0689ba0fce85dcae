package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ZooKeeperHost;
import io.kevo.chaos.history.Fault;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Stops the coordinated cluster's ZooKeeper, holds, and starts it again on the same port and data.
 * While it is down no node can be elected, and a primary that has lost ZooKeeper stops
 * acknowledging writes within half a session timeout; when it is back, sessions that did not expire
 * resume and the cluster goes on (a hold longer than the session timeout may expire them all).
 */
public final class ZooKeeperRestartNemesis implements Nemesis {
  @Override
  public String kind() {
    return "zk-restart";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ZooKeeperHost zk = ctx.cluster().zooKeeper();
    String before = ctx.cluster().primariesText();
    long start = ctx.recorder().now();
    zk.stop();
    try {
      NemesisContext.sleep(hold.toMillis());
    } finally {
      zk.startAgain();
    }
    return new Fault(
        kind(),
        "zookeeper",
        start,
        ctx.recorder().now(),
        "ZooKeeper down "
            + hold.toMillis()
            + " ms, restarted on its data (primary "
            + before
            + "; now "
            + ctx.cluster().primariesText()
            + ")");
  }
}
