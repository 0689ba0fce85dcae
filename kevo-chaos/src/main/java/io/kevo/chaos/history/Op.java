package io.kevo.chaos.history;

import java.util.List;
import java.util.Objects;

/**
 * One client operation of a run, as recorded when it ended: what was asked, of which node, when,
 * and how it ended. Immutable.
 *
 * <p>Kinds and their micro-operations ({@link #mops}), in the order the operation performed them:
 *
 * <ul>
 *   <li>{@link Kind#PUT}: one {@link Mop.Kind#PUT};
 *   <li>{@link Kind#DELETE}: one {@link Mop.Kind#DELETE};
 *   <li>{@link Kind#GET}: one {@link Mop.Kind#READ};
 *   <li>{@link Kind#TXN}: a read-write transaction: reads of two keys, then a put (or delete) of
 *       each, committed as one unit;
 *   <li>{@link Kind#BATCH}: puts of several keys written as one atomic batch ({@code BatchWrite}).
 * </ul>
 *
 * Read values are known only when the operation ended {@link Outcome#OK}; otherwise its read
 * micro-operations carry null and mean nothing.
 *
 * @param id unique in the run, increasing in invocation order
 * @param client the logical client that ran it; a client runs one operation at a time, keeps its
 *     read-your-writes token across its operations (its session) and goes on after an unknown
 *     outcome
 * @param node the name of the node the operation was sent to
 * @param target whether the client sent it to the node it believed was the primary, or to a replica
 * @param kind what kind of operation
 * @param mops its micro-operations
 * @param invokeNanos when it was sent, nanoseconds since the run began
 * @param completeNanos when its outcome was known (or the client gave up on it, for {@link
 *     Outcome#UNKNOWN}), nanoseconds since the run began; at least {@code invokeNanos}
 * @param outcome how it ended
 * @param error for {@link Outcome#FAIL} and {@link Outcome#UNKNOWN}, the gRPC status code and
 *     message; null for {@link Outcome#OK}
 * @param sequence for a write that ended {@link Outcome#OK}: its commit sequence (the last of a
 *     transaction); for a read sent with a {@code minSequence}: the node's visible sequence when it
 *     read; 0 when not known
 * @param epoch the primary's epoch reported with {@code sequence}; 0 when not known
 * @param minSequence for a read: the read-your-writes token sent with it ({@code
 *     kevo-min-sequence}); 0 for none
 */
public record Op(
    long id,
    int client,
    String node,
    Target target,
    Kind kind,
    List<Mop> mops,
    long invokeNanos,
    long completeNanos,
    Outcome outcome,
    String error,
    long sequence,
    long epoch,
    long minSequence) {

  /** The kinds of client operation. */
  public enum Kind {
    PUT,
    GET,
    DELETE,
    TXN,
    BATCH
  }

  /** Where the client sent an operation. */
  public enum Target {
    PRIMARY,
    REPLICA
  }

  public Op {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    mops = List.copyOf(mops);
    if (mops.isEmpty()) {
      throw new IllegalArgumentException("an operation has at least one micro-operation");
    }
    if (completeNanos < invokeNanos) {
      throw new IllegalArgumentException(
          "operation " + id + " completes (" + completeNanos + ") before it is invoked");
    }
  }

  /** Whether it writes anything. */
  public boolean writes() {
    return mops.stream().anyMatch(Mop::isWrite);
  }

  /** Whether every micro-operation is a read. */
  public boolean readOnly() {
    return !writes();
  }
}
