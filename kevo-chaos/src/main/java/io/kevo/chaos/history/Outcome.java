package io.kevo.chaos.history;

/** How an operation ended, as far as its client could tell. */
public enum Outcome {
  /** The node confirmed it: a write took effect, a read returned what it saw. */
  OK,
  /**
   * The node refused it and it certainly did not take effect (for example {@code
   * FAILED_PRECONDITION} from a read-only replica, {@code ABORTED} on a transaction conflict, a
   * connection refused before the call was sent).
   */
  FAIL,
  /**
   * Nobody can tell whether it took effect: a timeout, a connection dropped while the call was in
   * flight, a write that failed after it reached the log. Checkers treat such an operation as
   * possibly taking effect at any time after its invocation, or never.
   */
  UNKNOWN
}
