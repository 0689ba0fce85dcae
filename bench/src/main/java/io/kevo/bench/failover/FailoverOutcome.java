package io.kevo.bench.failover;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a failover run measured. Immutable.
 *
 * @param rounds the rounds that ran to their end, in order
 * @param error why the run stopped before its last round, or null
 * @param firstElectionMs from starting the nodes' processes until the first primary was settled
 * @param acknowledged puts acknowledged over the run
 * @param failures puts that failed (after the client's retries), by error code
 * @param readBack what reading every acknowledged key back from the final primary found; null if it
 *     could not run
 * @param finalPrimary the member read back from, or null
 * @param cpuSeconds CPU seconds per process over the run (every incarnation of a node), and {@code
 *     bench} for this JVM (ZooKeeper, writers, polling)
 * @param wallSeconds the run's wall time, from the start of the nodes to the end of the read-back
 * @param switchover the planned switchover after the rounds, or null if it did not run
 * @param switchoverPauseMs the write pause the writers saw during it, or null if not measured
 */
record FailoverOutcome(
    List<RoundResult> rounds,
    String error,
    double firstElectionMs,
    long acknowledged,
    Map<String, Long> failures,
    ReadBack.Result readBack,
    String finalPrimary,
    Map<String, Double> cpuSeconds,
    double wallSeconds,
    SwitchoverDriver.Observation switchover,
    Double switchoverPauseMs) {

  FailoverOutcome {
    rounds = List.copyOf(rounds);
    failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    cpuSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(cpuSeconds));
  }
}
