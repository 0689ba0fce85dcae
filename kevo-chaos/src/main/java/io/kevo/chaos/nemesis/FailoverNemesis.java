package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.cluster.NodeInfo;
import io.kevo.chaos.history.Fault;
import io.kevo.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manual failover after a crash, as an operator would do it: kill -9 of the primary, {@code kevo
 * promote} of the replica that is furthest ahead (by its last sequence), {@code kevo repoint} of
 * the other replicas, and, after the hold, the old primary restarted as a replica of the new one
 * (it discards whatever only it had). With one node there is nobody to promote: it is a kill.
 */
public final class FailoverNemesis implements Nemesis {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverNemesis.class);

  @Override
  public String kind() {
    return "failover";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    String old = cluster.primary();
    long start = ctx.recorder().now();
    List<TcpProxy> cut = new ArrayList<>();
    if (random.nextBoolean()) {
      for (String r : cluster.replicas()) {
        TcpProxy link = cluster.link(r, old);
        link.mode(TcpProxy.Mode.BLACK_HOLE);
        cut.add(link);
      }
      NemesisContext.sleep(1_000 + random.nextInt(1_000));
    }
    cluster.kill(old);
    for (TcpProxy link : cut) {
      link.mode(TcpProxy.Mode.PASS);
    }
    String chosen = null;
    long best = -1;
    List<String> candidates = new ArrayList<>(cluster.replicas());
    for (String r : candidates) {
      NodeInfo info = NodeInfo.read(ctx.channels(), cluster.node(r).address());
      LOG.info("failover candidate {}: {}", r, info);
      if (info != null && info.lastSequence() > best) {
        best = info.lastSequence();
        chosen = r;
      }
    }
    String detail;
    if (chosen == null) {
      detail = "no replica answered; the old primary restarted";
    } else {
      String promoted = cluster.promote(chosen);
      detail =
          (cut.isEmpty() ? "" : "cut off from its replicas, then ")
              + "promoted "
              + chosen
              + " at sequence "
              + best
              + " ("
              + promoted
              + ")";
    }
    NemesisContext.sleep(hold.toMillis());
    cluster.restart(old);
    return new Fault(kind(), old, start, ctx.recorder().now(), detail);
  }
}
