package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.workload.HistoryRecorder;
import io.kevo.chaos.workload.NodeChannels;
import io.kevo.chaos.workload.OpRunner;

/**
 * What a nemesis acts on: the cluster, the run's clock (the recorder's), the channels to the nodes,
 * and an operation runner for the nemeses that are themselves load (large writes).
 */
public record NemesisContext(
    ChaosCluster cluster, HistoryRecorder recorder, NodeChannels channels, OpRunner runner) {
  /** Sleeps {@code millis} unless interrupted (then returns at once, interrupt kept). */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
