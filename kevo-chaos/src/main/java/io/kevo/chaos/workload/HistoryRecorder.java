package io.kevo.chaos.workload;

import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Collects a run's operations and fault windows as they happen, on one monotonic clock that starts
 * with the recorder. Operation ids are taken at invocation, so they increase in invocation order.
 * Thread-safe: clients and the nemesis record concurrently.
 */
public final class HistoryRecorder {
  private final long start = System.nanoTime();
  private final AtomicLong ids = new AtomicLong();
  private final List<Op> ops = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private final Consumer<Op> onOp;

  /**
   * @param onOp hears every operation as it is recorded (e.g. a file writer); may be a no-op
   */
  public HistoryRecorder(Consumer<Op> onOp) {
    this.onOp = onOp;
  }

  /** Nanoseconds since the run began. */
  public long now() {
    return System.nanoTime() - start;
  }

  /** The id of an operation being invoked now. */
  public long nextId() {
    return ids.incrementAndGet();
  }

  public void record(Op op) {
    synchronized (this) {
      ops.add(op);
    }
    onOp.accept(op);
  }

  public synchronized void record(Fault fault) {
    faults.add(fault);
  }

  public synchronized int opCount() {
    return ops.size();
  }

  /** The operations so far (a copy). */
  public synchronized List<Op> ops() {
    return new ArrayList<>(ops);
  }

  /** The faults so far (a copy). */
  public synchronized List<Fault> faults() {
    return new ArrayList<>(faults);
  }

  /** Everything recorded, with the nodes' final states. */
  public synchronized History history(List<NodeState> finalStates) {
    return new History(ops, faults, finalStates);
  }
}
