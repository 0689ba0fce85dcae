package io.kevo.bench.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of the {@code engine} benchmark's workloads, by id, in run order. */
public final class Workloads {
  private static final Map<String, Workload> ENGINE = new LinkedHashMap<>();

  static {
    register(
        new WriteWorkload(
            "a",
            "random puts, 1 thread, WAL on, no sync",
            WorkloadParams::num,
            false,
            false,
            false));
    register(
        new WriteWorkload(
            "b",
            "random puts in batches, 1 thread, WAL on, no sync",
            WorkloadParams::num,
            false,
            true,
            false));
    register(
        new WriteWorkload(
            "c",
            "random puts, --threads writers, sync on every write (group commit)",
            WorkloadParams::syncNum,
            true,
            false,
            true));
  }

  private Workloads() {}

  private static void register(Workload workload) {
    ENGINE.put(workload.id(), workload);
  }

  /** Every workload of the {@code engine} benchmark, in run order. */
  public static List<Workload> engineWorkloads() {
    return new ArrayList<>(ENGINE.values());
  }

  /** The workload called {@code id}. */
  public static Workload byId(String id) {
    Workload workload = ENGINE.get(id.trim().toLowerCase(java.util.Locale.ROOT));
    if (workload == null) {
      throw new IllegalArgumentException(
          "unknown workload '" + id + "' (known: " + String.join(",", ENGINE.keySet()) + ")");
    }
    return workload;
  }
}
