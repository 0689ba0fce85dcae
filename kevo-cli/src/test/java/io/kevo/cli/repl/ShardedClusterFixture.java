package io.kevo.cli.repl;

import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.testkit.KevoDistribution;
import java.time.Duration;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the sharded clusters of real processes share: a real ZooKeeper (Curator's TestingServer in
 * this JVM, ticking every 500 ms as {@code kevo coordinator} does), members of cluster {@code shop}
 * started for a shard, and waiting for a group's primary. The nodes stop before ZooKeeper.
 */
abstract class ShardedClusterFixture extends ClusterFixture {
  static final Duration ELECTION = Duration.ofSeconds(60);

  TestingServer zk;
  final KevoDistribution kevo = KevoDistribution.locate();

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
  }

  @AfterEach
  void stopZooKeeper() throws Exception {
    cluster.close();
    zk.close();
  }

  /** Member {@code name} of {@code shard} at acknowledgement level {@code ack}. */
  ReplicationCluster.Node member(String name, String shard, String ack) throws Exception {
    return cluster.startMember(
        name,
        zk.getConnectString(),
        "shop",
        "--shard",
        shard,
        "--replication-ack",
        ack,
        "--failover-min-interval",
        "1s");
  }

  static boolean isPrimary(ReplicationCluster.Node n) {
    try {
      return n.info().getNodeRole() == GetNodeInfoResponse.NodeRole.PRIMARY;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  /** The one primary of {@code group}, once there is exactly one. */
  static ReplicationCluster.Node awaitPrimary(List<ReplicationCluster.Node> group) {
    await()
        .atMost(ELECTION)
        .until(() -> group.stream().filter(ShardedClusterFixture::isPrimary).count() == 1);
    return group.stream().filter(ShardedClusterFixture::isPrimary).findFirst().orElseThrow();
  }
}
