package io.kevo.bench.shards;

import io.kevo.bench.report.ProcessCpu;
import io.kevo.bench.run.LocalCoordination;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.EmbeddedZooKeeper;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.testkit.KevoDistribution;
import io.kevo.testkit.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sharded cluster on this machine: an {@link EmbeddedZooKeeper} in this JVM (127.0.0.1, an
 * ephemeral port), the shard map written, and one {@code kevo server} process of the distribution
 * per node, each started with {@code --shard} at {@code --replication-ack async}. Holds a
 * coordinator session of its own. Used by the driving thread only; {@link #close()} kills every
 * node and stops ZooKeeper, and throws nothing.
 */
final class ShardedCluster implements AutoCloseable {
  static final String CLUSTER = "bench";

  private final Path dir;
  private final LocalCoordination coordination;
  private final Coordinator admin;
  private final List<String> jvmArgs;
  private final KevoDistribution kevo;
  private final List<Node> nodes = new ArrayList<>();

  /** A node: its shard and its process. */
  record Node(String shard, NodeProcess process) {}

  private ShardedCluster(
      Path dir, KevoDistribution kevo, LocalCoordination coordination, List<String> jvmArgs) {
    this.dir = dir;
    this.kevo = kevo;
    this.coordination = coordination;
    this.admin = coordination.coordinator();
    this.jvmArgs = jvmArgs;
  }

  /**
   * Starts ZooKeeper in {@code dir/zookeeper} and writes {@code map}.
   *
   * @throws IllegalArgumentException if there is no distribution to start nodes from (checked
   *     before ZooKeeper starts)
   */
  static ShardedCluster start(Path dir, ShardMap map, List<String> jvmArgs) {
    KevoDistribution kevo = KevoDistribution.locate();
    ShardedCluster c =
        new ShardedCluster(dir, kevo, LocalCoordination.start(dir, CLUSTER), jvmArgs);
    try {
      new ShardMapStore(c.admin).create(map);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The routing client's target. */
  String zkTarget() {
    return "zk://" + coordination.connectString() + "/" + CLUSTER;
  }

  Coordinator admin() {
    return admin;
  }

  /** Starts node {@code id} of {@code shard} and waits until it listens. */
  Node startNode(String id, String shard) throws IOException, InterruptedException {
    Path nodeDir = dir.resolve(id);
    NodeProcess p =
        new NodeProcess(
            kevo,
            id,
            nodeDir,
            nodeDir.resolve("db"),
            0,
            jvmArgs,
            List.of(
                "--coordinator",
                coordination.connectString(),
                "--cluster",
                CLUSTER,
                "--shard",
                shard,
                "--node-id",
                id,
                "--replication-ack",
                "async"));
    Node n = new Node(shard, p);
    nodes.add(n);
    p.start();
    return n;
  }

  /** Waits until {@code shard}'s group has a primary in ZooKeeper; returns its member id. */
  String awaitPrimary(String shard, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      var p = ClusterView.read(admin.group(shard)).primaryMember();
      if (p.isPresent()) {
        return p.get().id();
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException(
        "shard " + shard + " elected no primary within " + within.toSeconds() + " s");
  }

  /** The CPU time of every running node so far, nanoseconds. */
  long nodesCpuNanos() {
    long sum = 0;
    for (Node n : nodes) {
      if (n.process().alive()) {
        sum += ProcessCpu.of(n.process().pid()).map(ProcessCpu.Sample::totalNanos).orElse(0L);
      }
    }
    return sum;
  }

  /** The CPU time of every running node's JIT compiler threads so far, nanoseconds. */
  long nodesCompilerNanos() {
    long sum = 0;
    for (Node n : nodes) {
      if (n.process().alive()) {
        sum += ProcessCpu.compilerNanos(n.process().pid()).orElse(0L);
      }
    }
    return sum;
  }

  List<Node> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      try {
        n.process().close();
      } catch (RuntimeException e) {
        // best effort
      }
    }
    coordination.close();
  }
}
