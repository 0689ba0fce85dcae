package io.kevo.bench.replication;

import io.kevo.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catch-up phase: one replica stopped, {@code entries} written on the primary, the replica
 * started again on its directory and its applied sequence polled until it has them all. Immutable.
 *
 * @param entries entries written while the replica was down
 * @param batch entries per write while loading (1: single puts)
 * @param loadSeconds how long writing them took
 * @param fromSequence the replica's applied sequence when it was stopped
 * @param toSequence the primary's last sequence after loading: the catch-up target
 * @param servingMs from starting the replica's JVM until it served (its port printed)
 * @param firstProgressMs from starting its JVM until a poll first saw it past {@code fromSequence}
 * @param firstProgressApplied the applied sequence that poll saw
 * @param caughtUpMs from starting its JVM until a poll saw it at {@code toSequence}
 * @param replicaCpuCores the replica's CPU from first progress to caught up, cores
 * @param curve (ms since JVM start, applied sequence) of every poll
 * @param loadAverage 1-minute load average when the replica was started again
 */
record CatchUpResult(
    long entries,
    int batch,
    double loadSeconds,
    long fromSequence,
    long toSequence,
    double servingMs,
    double firstProgressMs,
    long firstProgressApplied,
    double caughtUpMs,
    Double replicaCpuCores,
    List<long[]> curve,
    double loadAverage) {

  /**
   * Entries applied per second between the first poll that saw progress and the first that saw it
   * caught up (excludes JVM start and connecting); falls back to {@link #overallRate()} when one
   * poll saw both.
   */
  double rate() {
    double ms = caughtUpMs - firstProgressMs;
    if (ms <= 0) {
      return overallRate();
    }
    return (toSequence - firstProgressApplied) / (ms / 1e3);
  }

  /** Entries per second from starting the replica's JVM until caught up. */
  double overallRate() {
    return (toSequence - fromSequence) / (caughtUpMs / 1e3);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entries_behind", toSequence - fromSequence);
    m.put("entries_written", entries);
    m.put("entries_per_write", batch);
    m.put("load_seconds", Figures.roundOrNull(loadSeconds, 3));
    m.put("from_sequence", fromSequence);
    m.put("to_sequence", toSequence);
    m.put("serving_ms", Figures.roundOrNull(servingMs, 1));
    m.put("first_progress_ms", Figures.roundOrNull(firstProgressMs, 1));
    m.put("first_progress_applied", firstProgressApplied);
    m.put("caught_up_ms", Figures.roundOrNull(caughtUpMs, 1));
    m.put("entries_per_sec", Figures.roundOrNull(rate(), 1));
    m.put("entries_per_sec_from_jvm_start", Figures.roundOrNull(overallRate(), 1));
    m.put("replica_cpu_cores", Figures.roundOrNull(replicaCpuCores, 3));
    m.put("curve_ms_applied", curve.stream().map(p -> List.of(p[0], p[1])).toList());
    m.put("load_average_1m", loadAverage);
    return m;
  }
}
