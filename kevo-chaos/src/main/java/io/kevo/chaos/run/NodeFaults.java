package io.kevo.chaos.run;

import io.kevo.chaos.check.Anomaly;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the nodes themselves did, as a check: a node must never exit by itself ({@value #CRASH}: a
 * crash, an exit on an error) and must always start again after a kill ({@value #UNRECOVERABLE}:
 * e.g. its database refused to open). Both are anomalies whatever the history of operations says:
 * the other checkers only see the nodes that answered.
 */
final class NodeFaults {
  static final String NAME = "nodes";
  static final String CRASH = "crash";
  static final String UNRECOVERABLE = "unrecoverable";

  private NodeFaults() {}

  static CheckResult check(History history) {
    List<Anomaly> anomalies = new ArrayList<>();
    for (Fault f : history.faults()) {
      if (f.kind().equals(CRASH) || f.kind().equals(UNRECOVERABLE)) {
        anomalies.add(
            new Anomaly(NAME, f.kind(), f.target(), f.target() + " " + f.detail(), List.of()));
      }
    }
    String summary =
        anomalies.isEmpty()
            ? "every node stayed up unless killed and restarted"
            : anomalies.size() + " node failures (" + anomalies.get(0).explanation() + ")";
    return new CheckResult(
        NAME,
        anomalies.isEmpty() ? Status.VALID : Status.INVALID,
        history.faults().size(),
        anomalies.size(),
        anomalies,
        summary,
        new TreeMap<>(Map.of()));
  }
}
