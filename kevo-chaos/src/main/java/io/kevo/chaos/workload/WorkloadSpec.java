package io.kevo.chaos.workload;

import java.time.Duration;
import java.util.List;

/**
 * The register workload's shape.
 *
 * @param clients logical clients, each one operation at a time
 * @param keys distinct keys ({@code k000}..., {@link #keyNames}): few keys make clients contend,
 *     which is what the linearizability check needs to be meaningful
 * @param replicaReads share of reads sent to a replica (the rest go to the primary), 0..1
 * @param think pause between two operations of a client
 * @param backoff pause after an operation that did not succeed (a node down, a partition), so that
 *     clients do not pile up unknown outcomes while a fault lasts
 */
public record WorkloadSpec(
    int clients, int keys, double replicaReads, Duration think, Duration backoff) {
  public WorkloadSpec {
    if (clients < 1 || keys < 2) {
      throw new IllegalArgumentException("at least one client and two keys");
    }
    if (replicaReads < 0 || replicaReads > 1) {
      throw new IllegalArgumentException("replicaReads is a share, 0..1");
    }
  }

  /** The name of key {@code i} (from 0): {@code k007}; below 1,000 names sort as numbers do. */
  public static String keyName(int i) {
    return String.format("k%03d", i);
  }

  /** The names of the first {@code keys} keys, in order. */
  public static List<String> keyNames(int keys) {
    return java.util.stream.IntStream.range(0, keys).mapToObj(WorkloadSpec::keyName).toList();
  }
}
