package io.kevo.chaos.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything a run recorded: its operations (sorted by invocation), its fault windows, and the
 * final state of each node after healing (empty if the run could not read it). Immutable.
 *
 * @param ops the operations, by {@link Op#invokeNanos()} then {@link Op#id()}
 * @param faults the fault windows, by start
 * @param finalStates each node's final contents; empty when not read
 */
public record History(List<Op> ops, List<Fault> faults, List<NodeState> finalStates) {
  public History {
    List<Op> sorted = new ArrayList<>(ops);
    sorted.sort(Comparator.comparingLong(Op::invokeNanos).thenComparingLong(Op::id));
    ops = List.copyOf(sorted);
    List<Fault> f = new ArrayList<>(faults);
    f.sort(Comparator.comparingLong(Fault::startNanos));
    faults = List.copyOf(f);
    finalStates = List.copyOf(Objects.requireNonNull(finalStates, "finalStates"));
  }

  public static History of(List<Op> ops) {
    return new History(ops, List.of(), List.of());
  }
}
