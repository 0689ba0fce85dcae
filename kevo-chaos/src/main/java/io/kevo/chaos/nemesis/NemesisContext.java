package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.workload.HistoryRecorder;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.chaos.workload.OpRunner;
import java.util.List;

/**
 * What a nemesis acts on: the cluster, the run's clock (the recorder's), the channels to the nodes,
 * an operation runner for the nemeses that are themselves load (large writes), and the workload's
 * keys, in order, for the nemeses that split shards between them.
 */
public record NemesisContext(
    ChaosCluster cluster,
    HistoryRecorder recorder,
    NodeChannels channels,
    OpRunner runner,
    List<String> keys) {
  public NemesisContext {
    keys = List.copyOf(keys);
  }

  /** A context without the workload's keys (no nemesis that splits shards). */
  public NemesisContext(
      ChaosCluster cluster, HistoryRecorder recorder, NodeChannels channels, OpRunner runner) {
    this(cluster, recorder, channels, runner, List.of());
  }

  /** Sleeps {@code millis} unless interrupted (then returns at once, interrupt kept). */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
