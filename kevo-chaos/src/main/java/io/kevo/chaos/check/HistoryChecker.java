package io.kevo.chaos.check;

import io.kevo.chaos.history.History;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * Runs every checker on a chaos run's history the way the harness means them, and combines their
 * results into a {@link Verdict}:
 *
 * <ol>
 *   <li>{@link LinearizabilityChecker} on the operations sent to the primary;
 *   <li>{@link LostWriteChecker} on all operations against the final state of the node that reports
 *       the primary role (UNKNOWN unless exactly one does);
 *   <li>{@link ReplicaReadChecker} on all operations;
 *   <li>{@link ConvergenceChecker} on all final states.
 * </ol>
 *
 * Stateless apart from its options; thread-safe.
 */
public final class HistoryChecker {
  private final CheckOptions options;

  public HistoryChecker(CheckOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public Verdict check(History history) {
    List<Op> all = history.ops();
    List<Op> primary = all.stream().filter(o -> o.target() == Op.Target.PRIMARY).toList();
    List<NodeState> primaries =
        history.finalStates().stream().filter(s -> s.role().equalsIgnoreCase("primary")).toList();
    NodeState primaryFinal = primaries.size() == 1 ? primaries.get(0) : null;
    return Verdict.of(
        all.size(),
        List.of(
            new LinearizabilityChecker(options).check(primary, "on the primary"),
            new LostWriteChecker(options).check(all, primaryFinal),
            new ReplicaReadChecker(options).check(all),
            new ConvergenceChecker(options).check(history.finalStates())));
  }
}
