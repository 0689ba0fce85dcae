package io.kevo.bench.replication;

import io.kevo.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One brand-new replica joining a loaded primary, times in ms from the start of its JVM (the
 * process launch). Figures the run could not observe are null. Immutable.
 *
 * @param run the run number
 * @param servingMs until the replica served clients (printed its port)
 * @param headerMs until its log said it was bootstrapping from a snapshot (header received)
 * @param installedMs until the snapshot was seen installed: the earlier of the arrival of the log
 *     line saying so and the poll that first saw {@code bootstraps_completed} ≥ 1 (both come after
 *     the install, by a pipe read or up to one 5 ms poll interval)
 * @param completedMs until a poll of its {@code GetNodeInfo} first saw {@code bootstraps_completed}
 *     ≥ 1
 * @param caughtUpMs until a poll first saw its {@code applied_sequence} at the primary's last
 *     sequence
 * @param fetchInstallMs the replica's own measure from its log: from its {@code FetchSnapshot} call
 *     until the snapshot was installed
 * @param snapshotSequence the snapshot's sequence S (from the log)
 * @param snapshotFiles files in the snapshot
 * @param snapshotBytes bytes in the snapshot
 * @param bootstraps the replica's {@code bootstraps_completed} once caught up (0: it caught up from
 *     the log without a snapshot)
 * @param entriesApplied the replica's {@code entries_applied} once caught up (what came through the
 *     log)
 * @param primaryBytesSent the primary's {@code bootstrap_bytes_sent} over this run
 * @param replicaCpuSeconds the replica JVM's CPU from its start until caught up
 * @param loadAverage 1-minute load average when the replica was started
 */
record BootstrapRun(
    int run,
    double servingMs,
    Double headerMs,
    Double installedMs,
    Double completedMs,
    double caughtUpMs,
    Long fetchInstallMs,
    Long snapshotSequence,
    Integer snapshotFiles,
    Long snapshotBytes,
    long bootstraps,
    long entriesApplied,
    long primaryBytesSent,
    Double replicaCpuSeconds,
    double loadAverage) {

  /** From the installed snapshot until caught up: streaming the log written since S. */
  Double streamAfterInstallMs() {
    return installedMs == null ? null : caughtUpMs - installedMs;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", run);
    m.put("serving_ms", Figures.roundOrNull(servingMs, 1));
    m.put("snapshot_header_ms", Figures.roundOrNull(headerMs, 1));
    m.put("snapshot_installed_ms", Figures.roundOrNull(installedMs, 1));
    m.put("bootstrap_completed_seen_ms", Figures.roundOrNull(completedMs, 1));
    m.put("caught_up_ms", Figures.roundOrNull(caughtUpMs, 1));
    m.put("fetch_install_ms", fetchInstallMs);
    m.put("stream_after_install_ms", Figures.roundOrNull(streamAfterInstallMs(), 1));
    m.put("snapshot_sequence", snapshotSequence);
    m.put("snapshot_files", snapshotFiles);
    m.put("snapshot_bytes", snapshotBytes);
    m.put("bootstraps_completed", bootstraps);
    m.put("entries_applied", entriesApplied);
    m.put("primary_bootstrap_bytes_sent", primaryBytesSent);
    m.put("replica_cpu_s", Figures.roundOrNull(replicaCpuSeconds, 3));
    m.put("load_average_1m", loadAverage);
    return m;
  }
}
