package io.kevo.bench.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a failover run is made. Immutable; the constructor checks the bounds.
 *
 * @param rounds kill rounds
 * @param nodes {@code kevo server} processes (at least 2: one must survive to take over)
 * @param writers writer threads sharing one client
 * @param valueSize bytes of each value
 * @param minInterval the nodes' {@code --failover-min-interval}; a round kills no earlier than this
 *     long after the last failover, so that every kill is answered by a failover
 * @param steady how long writes must flow to the elected primary before its kill
 * @param timeout the longest a round waits for an election, a settled cluster or a caught-up node
 * @param heap each node's {@code -Xmx}
 * @param jvmArgs extra options of each node's JVM; {@code {node}} is replaced by its id
 */
record FailoverParams(
    int rounds,
    int nodes,
    int writers,
    int valueSize,
    Duration minInterval,
    Duration steady,
    Duration timeout,
    String heap,
    List<String> jvmArgs) {

  FailoverParams {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
    }
    if (nodes < 2) {
      throw new IllegalArgumentException("--nodes must be at least 2, got " + nodes);
    }
    if (writers < 1 || writers > 99) {
      throw new IllegalArgumentException("--writers must be 1 to 99, got " + writers);
    }
    if (valueSize < 1) {
      throw new IllegalArgumentException("--value-size must be at least 1, got " + valueSize);
    }
    if (minInterval.isNegative() || steady.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--round-timeout must be at least 1s, got " + timeout);
    }
    jvmArgs = List.copyOf(jvmArgs);
  }

  /**
   * The JVM options of node {@code id}: its heap, INFO logging (the coordination lines the profile
   * reads are INFO), then {@link #jvmArgs} with {@code {node}} replaced.
   */
  List<String> nodeJvmArgs(String id) {
    List<String> out = new ArrayList<>();
    out.add("-Xmx" + heap);
    out.add("-Dkevo.log.level=INFO");
    jvmArgs.forEach(a -> out.add(a.replace("{node}", id)));
    return out;
  }
}
