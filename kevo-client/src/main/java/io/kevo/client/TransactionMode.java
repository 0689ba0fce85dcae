package io.kevo.client;

import java.util.Locale;

/**
 * How a read-write transaction is protected from concurrent ones (sent as {@code kevo-tx-mode} on
 * {@code BeginTransaction}; see {@link TransactionSpec}).
 */
public enum TransactionMode {
  /**
   * No locks: reads see the snapshot taken at begin and the later of two conflicting commits fails
   * with {@link TransactionConflictException} ({@link
   * TransactionConflictException.Reason#CONFLICT}). Nothing ever waits. Best when conflicts are
   * rare.
   */
  OPTIMISTIC,
  /**
   * Every key the transaction reads or writes is locked on the server until it ends, and read at
   * its latest committed value once locked: a second transaction on the same key waits for the
   * first and then sees its write, as with Kevo's Go server. A wait longer than the server's lock
   * timeout, or one that would deadlock, aborts the transaction ({@link
   * TransactionConflictException.Reason#LOCK_TIMEOUT}, {@link
   * TransactionConflictException.Reason#DEADLOCK}). Best for hot keys (counters) and for code
   * written for Kevo.
   */
  PESSIMISTIC;

  /** The value of {@code kevo-tx-mode}: {@code optimistic} or {@code pessimistic}. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
