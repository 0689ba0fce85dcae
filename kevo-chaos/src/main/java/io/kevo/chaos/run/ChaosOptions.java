package io.kevo.chaos.run;

import io.kevo.chaos.nemesis.Nemeses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a chaos run does.
 *
 * @param nodes nodes in the cluster (the first starts as the primary); in a sharded cluster, nodes
 *     per shard
 * @param nemeses the nemeses' names, e.g. {@code kill}, {@code pause}; empty for a run without
 *     faults
 * @param duration how long faults are injected under load
 * @param seed seeds the workload and the nemesis schedule
 * @param ack the acknowledgement level every write asks for: {@code async}, {@code replica:N} or
 *     {@code all}
 * @param out where the history, the verdict, the timeline and the nodes' logs and data go (a
 *     previous run's there are replaced)
 * @param clients logical clients of the register workload
 * @param keys keys of the register workload
 * @param opTimeout deadline of each call
 * @param nodeJvmOptions JVM options of each node
 * @param sync the nodes' WAL sync mode ({@code none}, {@code batch}, {@code immediate})
 * @param coordinated whether the nodes run with a coordinator (a ZooKeeper the harness runs) and
 *     fail over by themselves ({@code --failover auto}); else the harness sets their roles and the
 *     {@code failover} nemesis promotes by hand ({@code --failover manual})
 * @param shards 0 for an unsharded cluster; else the shards of its first map ({@code --shards}),
 *     split evenly over the workload's keys ({@link #splitAt()}), each a replication group of
 *     {@code nodes} nodes. Needs the coordinated mode and {@code replica:N} or {@code all} (the
 *     async policy judges one group's sequences), and at least two keys per shard
 */
public record ChaosOptions(
    int nodes,
    List<String> nemeses,
    Duration duration,
    long seed,
    String ack,
    Path out,
    int clients,
    int keys,
    Duration opTimeout,
    List<String> nodeJvmOptions,
    String sync,
    boolean coordinated,
    int shards) {
  public ChaosOptions {
    nemeses = List.copyOf(nemeses);
    out = out.toAbsolutePath();
    nodeJvmOptions = List.copyOf(nodeJvmOptions);
    if (nodes < 1 || nodes > 9) {
      throw new IllegalArgumentException("--nodes must be 1..9, got " + nodes);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    if (shards < 0 || shards > 9) {
      throw new IllegalArgumentException("--shards must be 1..9 (or 0: unsharded), got " + shards);
    }
    if (shards > 0) {
      if (!coordinated) {
        throw new IllegalArgumentException("--shards needs --failover auto");
      }
      if ("async".equals(ack)) {
        throw new IllegalArgumentException(
            "--shards needs --ack replica:N or all: what async allows is judged by one group's"
                + " sequences, which shards do not share");
      }
      if (keys < 2 * shards) {
        throw new IllegalArgumentException(
            "--shards " + shards + " needs at least " + 2 * shards + " keys, got " + keys);
      }
    }
    Nemeses.checkMode(nemeses, coordinated, shards > 0);
  }

  /** An unsharded run. */
  public ChaosOptions(
      int nodes,
      List<String> nemeses,
      Duration duration,
      long seed,
      String ack,
      Path out,
      int clients,
      int keys,
      Duration opTimeout,
      List<String> nodeJvmOptions,
      String sync,
      boolean coordinated) {
    this(
        nodes,
        nemeses,
        duration,
        seed,
        ack,
        out,
        clients,
        keys,
        opTimeout,
        nodeJvmOptions,
        sync,
        coordinated,
        0);
  }

  /** Whether the run's cluster is sharded. */
  public boolean sharded() {
    return shards > 0;
  }

  /**
   * The first shard map's split points: the workload's keys cut into {@link #shards} runs of about
   * equal length, each point the first key of the next shard ({@code k010} for 2 shards of 20
   * keys); none unsharded.
   */
  public List<String> splitAt() {
    List<String> points = new java.util.ArrayList<>();
    for (int i = 1; i < shards; i++) {
      points.add(io.kevo.chaos.workload.WorkloadSpec.keyName(i * keys / shards));
    }
    return points;
  }

  /** A run without a coordinator: the harness sets the roles and fails over by hand. */
  public ChaosOptions(
      int nodes,
      List<String> nemeses,
      Duration duration,
      long seed,
      String ack,
      Path out,
      int clients,
      int keys,
      Duration opTimeout,
      List<String> nodeJvmOptions,
      String sync) {
    this(
        nodes,
        nemeses,
        duration,
        seed,
        ack,
        out,
        clients,
        keys,
        opTimeout,
        nodeJvmOptions,
        sync,
        false);
  }
}
