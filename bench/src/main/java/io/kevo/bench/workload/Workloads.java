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
    register(
        new LsmWriteWorkload(
            "fillrandom",
            "--num puts of distinct random keys into an empty database, 1 thread, no sync",
            LsmWriteWorkload.Mode.RANDOM,
            Target.OPS.withWriteAmp(1.5).withRss(1.5)));
    register(
        new LsmWriteWorkload(
            "fillseq",
            "--num puts of ascending keys into an empty database, 1 thread, no sync",
            LsmWriteWorkload.Mode.SEQUENTIAL,
            Target.NONE));
    register(
        new LsmWriteWorkload(
            "overwrite",
            "--num puts of random loaded keys (--num loaded, compacted), 1 thread, no sync",
            LsmWriteWorkload.Mode.OVERWRITE,
            Target.NONE));
    register(
        new LsmReadWorkload(
            "readrandom",
            "--num point reads of random loaded keys (--num loaded, flushed, compacted), 1 thread",
            LsmReadWorkload.Mode.GET,
            WorkloadParams::num,
            Target.OPS.withRss(1.5)));
    register(
        new LsmReadWorkload(
            "readrandom10m",
            "--num point reads of random loaded keys (--big-num loaded, flushed, compacted)",
            LsmReadWorkload.Mode.GET,
            WorkloadParams::bigNum,
            Target.NONE));
    register(
        new LsmReadWorkload(
            "readmissing",
            "--num point reads of keys never written (--num loaded, compacted): bloom filters",
            LsmReadWorkload.Mode.MISSING,
            WorkloadParams::num,
            Target.NONE));
    register(
        new LsmReadWorkload(
            "seekrandom",
            "--num seeks to random loaded keys + 10 nexts each (--num loaded, compacted)",
            LsmReadWorkload.Mode.SEEK,
            WorkloadParams::num,
            Target.NONE));
    register(
        new LsmReadWorkload(
            "scan",
            "full forward scans of --num loaded keys (compacted), 3 timed passes, keys/s",
            LsmReadWorkload.Mode.SCAN,
            WorkloadParams::num,
            Target.OPS.withRss(1.5)));
    register(new MixedWorkload());
  }

  private Workloads() {}

  private static void register(Workload workload) {
    ENGINE.put(workload.id(), workload);
  }

  /** The ids of every workload, in run order. */
  public static List<String> ids() {
    return new ArrayList<>(ENGINE.keySet());
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
