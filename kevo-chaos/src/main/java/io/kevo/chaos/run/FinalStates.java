package io.kevo.chaos.run;

import io.grpc.StatusRuntimeException;
import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.cluster.NodeInfo;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.chaos.workload.Values;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a run: waits until every node reports the primary's last sequence (the writes have
 * stopped and every fault is healed), then reads each node's whole contents with a Scan.
 */
final class FinalStates {
  private static final Logger LOG = LoggerFactory.getLogger(FinalStates.class);

  private FinalStates() {}

  /**
   * Polls every node until all report the same last sequence twice in a row, each reading up to it,
   * for at most {@code within}.
   *
   * @return how long it took, or null if they did not converge in time
   */
  static Duration awaitConverged(ChaosCluster cluster, NodeChannels channels, Duration within)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + within.toNanos();
    long agreed = -1;
    while (System.nanoTime() < deadline) {
      long common = -2;
      boolean same = true;
      for (ChaosCluster.Node n : cluster.nodes()) {
        NodeInfo info = NodeInfo.read(channels, n.address());
        if (info == null || info.readSequence() != info.lastSequence()) {
          // Gone, or a primary whose reads do not show its last writes yet (their replicas'
          // acknowledgements are on their way): its contents read now would lack them.
          same = false;
          break;
        }
        if (common == -2) {
          common = info.lastSequence();
        } else if (common != info.lastSequence()) {
          same = false;
        }
      }
      if (same && common == agreed) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      agreed = same ? common : -1;
      Thread.sleep(250);
    }
    return null;
  }

  /** Every node's contents and last sequence; a node that cannot be read is left out (logged). */
  static List<NodeState> read(ChaosCluster cluster, NodeChannels channels) {
    List<NodeState> out = new ArrayList<>();
    for (ChaosCluster.Node n : cluster.nodes()) {
      try {
        NodeInfo info = NodeInfo.read(channels, n.address());
        Map<String, String> data = new TreeMap<>();
        Iterator<ScanResponse> it =
            channels
                .stub(n.address())
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .scan(ScanRequest.getDefaultInstance());
        while (it.hasNext()) {
          ScanResponse r = it.next();
          data.put(r.getKey().toStringUtf8(), Values.decode(r.getValue()));
        }
        out.add(
            NodeState.of(
                n.name(),
                info == null ? cluster.roleOf(n.name()) : info.role().toLowerCase(),
                info == null ? -1 : info.lastSequence(),
                data));
      } catch (StatusRuntimeException e) {
        LOG.warn("cannot read the final state of {}: {}", n.name(), e.getStatus());
      }
    }
    return out;
  }
}
