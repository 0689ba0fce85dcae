package io.kevo.chaos.run;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.cluster.ClusterSpec;
import io.kevo.chaos.cluster.NodeInfo;
import io.kevo.chaos.cluster.ShardMapFollower;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.nemesis.Nemeses;
import io.kevo.chaos.nemesis.NemesisContext;
import io.kevo.chaos.nemesis.NemesisSchedule;
import io.kevo.chaos.workload.HistoryRecorder;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.chaos.workload.OpRunner;
import io.kevo.chaos.workload.Workload;
import io.kevo.chaos.workload.WorkloadSpec;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.testkit.KevoDistribution;
import io.kevo.wire.ReplicationStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos run, start to end: starts the cluster, runs the workload with the nemeses for the
 * duration, heals everything, lets the cluster converge, reads every node's final state, and stops
 * every process it started (also when something fails). A sharded run records each shard map the
 * harness sees in the history ({@link io.kevo.chaos.history.ShardLayout}), converges and reads each
 * shard's nodes over that shard's range of the final map.
 */
public final class ChaosRun {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

  /** Load without faults after healing, so that clients see the cluster recover. */
  private static final Duration RECOVERY = Duration.ofSeconds(5);

  private static final Duration CONVERGENCE = Duration.ofSeconds(90);

  /** The fault kind of an election the harness saw in a coordinated cluster. */
  public static final String ELECTED = "elected";

  private final ChaosOptions options;
  private final KevoDistribution distribution;

  public ChaosRun(ChaosOptions options, KevoDistribution distribution) {
    this.options = options;
    this.distribution = distribution;
  }

  /** What a run produced. */
  public record Result(
      History history, Duration converged, int nemesisFailures, String lastNemesisFailure) {}

  /**
   * Runs it.
   *
   * @param onOp hears each operation as it completes (e.g. to stream the history to a file)
   */
  public Result run(Consumer<Op> onOp) throws IOException, InterruptedException {
    Files.createDirectories(options.out());
    // A run starts from empty nodes: an earlier run into the same directory kept its nodes' data
    // when it found an anomaly, and its values would read as values nobody wrote in this one.
    Judge.deleteTree(options.out().resolve("data"));
    Judge.deleteTree(options.out().resolve("logs"));
    // Likewise the coordinator's records: a new cluster must not find the old one's epochs.
    Judge.deleteTree(options.out().resolve("zookeeper"));
    // Every node gets the level as its default, not only the first primary: any node may be
    // promoted, and a primary's default level decides what its reads may show (only writes a
    // replica confirmed, unless async).
    ClusterSpec spec =
        new ClusterSpec(
            options.nodes(),
            options.nodeJvmOptions(),
            List.of("--sync", options.sync(), "--replication-ack", options.ack()),
            options.coordinated(),
            options.shards(),
            options.splitAt());
    HistoryRecorder recorder = new HistoryRecorder(onOp);
    try (ChaosCluster cluster = new ChaosCluster(distribution, options.out(), spec);
        NodeChannels channels = new NodeChannels();
        StopOnExit stop = new StopOnExit(cluster)) {
      // Each election the harness sees goes to the history, as a fault window of no length.
      cluster.onPrimaryChange(
          c ->
              recorder.record(
                  new Fault(ELECTED, c.to(), recorder.now(), recorder.now(), c.describe())));
      // Each shard map the harness sees too: the checkers group the history by shard with them.
      cluster.onShardMap(m -> recorder.record(ShardMapFollower.layout(m).asFault(recorder.now())));
      cluster.start();
      awaitReplicasConnected(cluster, channels);
      OpRunner runner = new OpRunner(channels, recorder, options.opTimeout(), options.ack());
      Workload workload =
          new Workload(
              runner,
              cluster,
              new WorkloadSpec(
                  options.clients(),
                  options.keys(),
                  0.5,
                  Duration.ofMillis(2),
                  Duration.ofMillis(100)),
              options.seed());
      NemesisSchedule schedule =
          new NemesisSchedule(
              Nemeses.named(options.nemeses()),
              new NemesisContext(
                  cluster, recorder, channels, runner, WorkloadSpec.keyNames(options.keys())),
              options.seed() ^ 0x5DEECE66DL);
      LOG.info(
          "running {} s of {} at ack {}",
          options.duration().toSeconds(),
          options.nemeses(),
          options.ack());
      workload.start();
      schedule.start();
      Thread.sleep(options.duration().toMillis());
      if (!schedule.stop(Duration.ofSeconds(120))) {
        LOG.warn("the nemesis did not finish its last fault within 120 s");
      }
      schedule.restartCrashed();
      cluster
          .healAll()
          .forEach(
              (node, why) ->
                  recorder.record(
                      new Fault(
                          NodeFaults.UNRECOVERABLE,
                          node,
                          recorder.now(),
                          recorder.now(),
                          "could not be started again: " + why)));
      Thread.sleep(RECOVERY.toMillis());
      if (!workload.stop(Duration.ofSeconds(60))) {
        LOG.warn("some clients did not stop within 60 s");
      }
      if (cluster.sharded()) {
        cluster.shardMap().refresh(); // the final map, should the watch lag
      }
      Duration converged = FinalStates.awaitConverged(cluster, channels, CONVERGENCE);
      if (converged == null) {
        LOG.warn("the nodes did not reach one last sequence within {} s", CONVERGENCE.toSeconds());
      }
      List<NodeState> finals = FinalStates.read(cluster, channels);
      return new Result(
          recorder.history(finals), converged, schedule.failures(), schedule.lastFailure());
    }
  }

  /**
   * Kills the cluster's processes if this JVM exits before the run ends (Ctrl-C, SIGTERM): child
   * processes outlive their parent otherwise.
   */
  private static final class StopOnExit implements AutoCloseable {
    private final Thread hook;

    StopOnExit(ChaosCluster cluster) {
      this.hook = new Thread(cluster::close, "chaos-stop-on-exit");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is exiting: the hook runs or ran.
      }
    }
  }

  /** Waits until each group's primary has every other node of its group as a replica. */
  private void awaitReplicasConnected(ChaosCluster cluster, NodeChannels channels)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int want = options.nodes() - 1;
    for (String group : cluster.groups()) {
      while (connectedReplicas(cluster, channels, group) < want) {
        if (System.nanoTime() > deadline) {
          String p = cluster.primaryOf(group);
          throw new IllegalStateException(
              "the replicas did not connect to "
                  + (group.isEmpty() ? "the primary" : "shard " + group + "'s primary")
                  + " within 60 s: "
                  + (p == null ? "none known" : NodeInfo.read(channels, cluster.address(p))));
        }
        Thread.sleep(100);
      }
    }
  }

  private static long connectedReplicas(ChaosCluster cluster, NodeChannels channels, String group) {
    String p = cluster.primaryOf(group);
    if (p == null) {
      return -1;
    }
    try {
      return ReplicationStatus.of(
              channels
                  .stub(cluster.address(p))
                  .withDeadlineAfter(2, TimeUnit.SECONDS)
                  .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()))
          .primary()
          .map(s -> s.connectedReplicas().orElse(0))
          .orElse(0L);
    } catch (RuntimeException e) {
      return -1; // not up yet
    }
  }
}
