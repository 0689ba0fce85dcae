package io.kevo.chaos.run;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.cluster.NodeInfo;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.chaos.workload.Values;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardRange;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a run: waits until every node reports its primary's last sequence (the writes have
 * stopped and every fault is healed), then reads each node's whole contents with a Scan. In a
 * sharded run each shard's nodes converge among themselves and are read over their shard's range in
 * the final map (a node of a shard the map does not hold, from a split given up, serves nothing and
 * is left out).
 */
final class FinalStates {
  private static final Logger LOG = LoggerFactory.getLogger(FinalStates.class);

  private FinalStates() {}

  /**
   * Polls every node until, in each group, all report the same last sequence twice in a row, each
   * reading up to it, for at most {@code within}.
   *
   * @return how long it took, or null if they did not converge in time
   */
  static Duration awaitConverged(ChaosCluster cluster, NodeChannels channels, Duration within)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + within.toNanos();
    Map<String, Long> agreed = new HashMap<>();
    List<String> groups = servingGroups(cluster);
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (String group : groups) {
        long common = common(cluster, channels, group);
        Long before = agreed.put(group, common);
        all &= common >= 0 && before != null && before == common;
      }
      if (all) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(250);
    }
    return null;
  }

  /** The last sequence every node of {@code group} reports and reads up to; -1 if they differ. */
  private static long common(ChaosCluster cluster, NodeChannels channels, String group) {
    long common = -2;
    for (String name : cluster.membersOf(group)) {
      NodeInfo info = NodeInfo.read(channels, cluster.address(name));
      if (info == null || info.readSequence() != info.lastSequence()) {
        // Gone, or a primary whose reads do not show its last writes yet (their replicas'
        // acknowledgements are on their way): its contents read now would lack them.
        return -1;
      }
      if (common == -2) {
        common = info.lastSequence();
      } else if (common != info.lastSequence()) {
        return -1;
      }
    }
    return common;
  }

  /** The groups whose nodes serve keys: every shard of the final map; the one group unsharded. */
  private static List<String> servingGroups(ChaosCluster cluster) {
    if (!cluster.sharded()) {
      return cluster.groups();
    }
    ShardMap map = cluster.shardMap().map();
    return cluster.groups().stream().filter(g -> map.shard(g).isPresent()).toList();
  }

  /**
   * Every serving node's contents (over its shard's range in a sharded run) and last sequence; a
   * node that cannot be read is left out (logged).
   */
  static List<NodeState> read(ChaosCluster cluster, NodeChannels channels) {
    List<NodeState> out = new ArrayList<>();
    List<String> groups = servingGroups(cluster);
    for (ChaosCluster.Node n : cluster.nodes()) {
      if (!groups.contains(n.group())) {
        LOG.info("{} serves no key: shard {} is not in the final map", n.name(), n.group());
        continue;
      }
      ScanRequest.Builder scan = ScanRequest.newBuilder();
      if (cluster.sharded()) {
        ShardRange range = cluster.shardMap().map().shard(n.group()).orElseThrow();
        scan.setStartKey(ByteString.copyFrom(range.start()));
        if (range.end() != null) {
          scan.setEndKey(ByteString.copyFrom(range.end()));
        }
      }
      try {
        NodeInfo info = NodeInfo.read(channels, n.address());
        Map<String, String> data = new TreeMap<>();
        Iterator<ScanResponse> it =
            channels.stub(n.address()).withDeadlineAfter(60, TimeUnit.SECONDS).scan(scan.build());
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
