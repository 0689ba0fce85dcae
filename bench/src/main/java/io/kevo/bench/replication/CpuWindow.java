package io.kevo.bench.replication;

import io.kevo.bench.report.MachineCpu;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Each node's CPU over one timed window, the JIT compilers' part of it, and the machine's CPU the
 * hypervisor took meanwhile: sampled when the window opens ({@link #open}) and when it closes
 * ({@link #close}). Not thread-safe; one window per phase run.
 */
final class CpuWindow {
  /**
   * @param cores per node (and the load generator, {@code bench}): CPU seconds per second
   * @param jitShare per node, the share of its CPU its JIT compiler threads used
   * @param stealShare the share of the machine's CPU time the hypervisor took; null where unknown
   */
  record Result(Map<String, Double> cores, Map<String, Double> jitShare, Double stealShare) {}

  private final Cluster cluster;
  private final Optional<MachineCpu.Sample> machine0;
  private final Map<String, OptionalLong> jit0;
  private final Map<String, OptionalLong> cpu0;

  private CpuWindow(Cluster cluster) {
    this.cluster = cluster;
    this.machine0 = MachineCpu.now();
    this.jit0 = cluster.compilerCpu();
    this.cpu0 = Phases.cpu(cluster);
  }

  /** Samples every node now: the window's start. */
  static CpuWindow open(Cluster cluster) {
    return new CpuWindow(cluster);
  }

  /** Samples every node again: the window ended, {@code seconds} after it opened. */
  Result close(double seconds) {
    Map<String, OptionalLong> cpu1 = Phases.cpu(cluster);
    Map<String, OptionalLong> jit1 = cluster.compilerCpu();
    Double steal = MachineCpu.stealShare(machine0, MachineCpu.now());
    return new Result(Phases.cores(cpu0, cpu1, seconds), shares(jit0, jit1, cpu0, cpu1), steal);
  }

  /**
   * Per node, the part ({@code part0} → {@code part1}) of its CPU ({@code all0} → {@code all1}), as
   * a share between 0 and 1; nodes missing a sample are left out. The part is summed over threads
   * alive at each end ({@link io.kevo.bench.report.ProcessCpu#compilerNanos}): one that ended in
   * the window takes all its time with it, which can make the difference negative, so it is clamped
   * at 0 (the share errs low, never high).
   */
  static Map<String, Double> shares(
      Map<String, OptionalLong> part0,
      Map<String, OptionalLong> part1,
      Map<String, OptionalLong> all0,
      Map<String, OptionalLong> all1) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Map.Entry<String, OptionalLong> e : part0.entrySet()) {
      String node = e.getKey();
      OptionalLong p1 = part1.get(node);
      OptionalLong a0 = all0.get(node);
      OptionalLong a1 = all1.get(node);
      if (e.getValue().isPresent()
          && p1 != null
          && p1.isPresent()
          && a0 != null
          && a0.isPresent()
          && a1 != null
          && a1.isPresent()
          && a1.getAsLong() > a0.getAsLong()) {
        double share =
            (double) (p1.getAsLong() - e.getValue().getAsLong())
                / (a1.getAsLong() - a0.getAsLong());
        m.put(node, Math.min(1, Math.max(0, share)));
      }
    }
    return m;
  }
}
