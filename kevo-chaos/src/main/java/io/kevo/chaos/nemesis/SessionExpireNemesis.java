package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.history.Fault;
import io.kevo.testkit.NodeProcess;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Expires a node's ZooKeeper session: SIGSTOP of the node (the primary two times in three) for its
 * session timeout plus 1–3 s, then SIGCONT. Unlike {@code pause}, whose hold may be shorter than a
 * session, the session always expires: a paused primary is replaced, and must refuse writes when it
 * wakes and rejoin as a replica by itself.
 */
public final class SessionExpireNemesis implements Nemesis {
  @Override
  public String kind() {
    return "session-expire";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    String victim = ZooKeeperCutNemesis.primaryMostly(cluster, random);
    String group = cluster.node(victim).group();
    String role = cluster.roleOf(victim);
    long epoch = cluster.epochOf(group);
    Duration stopped = ChaosCluster.SESSION_TIMEOUT.plusMillis(1_000 + random.nextInt(2_000));
    NodeProcess process = cluster.node(victim).process();
    long start = ctx.recorder().now();
    process.pause();
    try {
      NemesisContext.sleep(stopped.toMillis());
    } finally {
      process.resume();
    }
    return new Fault(
        kind(),
        victim,
        start,
        ctx.recorder().now(),
        "SIGSTOP of the "
            + role
            + " (epoch "
            + epoch
            + ") for "
            + stopped.toMillis()
            + " ms, past its "
            + ChaosCluster.SESSION_TIMEOUT.toMillis()
            + " ms session; primary now "
            + cluster.primaryOf(group)
            + " in epoch "
            + cluster.epochOf(group));
  }
}
