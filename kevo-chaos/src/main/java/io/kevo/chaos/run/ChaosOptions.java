package io.kevo.chaos.run;

import io.kevo.chaos.nemesis.Nemeses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a chaos run does.
 *
 * @param nodes nodes in the cluster (the first starts as the primary)
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
    boolean coordinated) {
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
    Nemeses.checkMode(nemeses, coordinated);
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
