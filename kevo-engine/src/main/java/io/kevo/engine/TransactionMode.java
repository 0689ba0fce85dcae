package io.kevo.engine;

import java.util.Locale;

/**
 * How a read-write transaction keeps other transactions from changing what it works on. Read-only
 * transactions ignore the mode: they read their snapshot and never lock.
 */
public enum TransactionMode {
  /**
   * No locks: the transaction reads its snapshot and is checked at commit (see {@link Isolation});
   * the later of two conflicting transactions fails with {@link TransactionConflictException}. The
   * default: nothing ever waits.
   */
  OPTIMISTIC,
  /**
   * Every key the transaction reads or writes ({@code get}, {@code put}, {@code delete}) is locked
   * exclusively until it commits or rolls back, and once locked is read at the latest committed
   * value: two such transactions on the same key run one after the other and both commit. A
   * transaction that has to wait does so up to {@link TransactionOptions#lockTimeout()} ({@link
   * ErrorCode#LOCK_TIMEOUT} after it); one that would close a cycle of waiting transactions fails
   * at once ({@link ErrorCode#DEADLOCK}). Either failure rolls it back. Scans take no locks.
   * Writers that do not lock (plain puts, optimistic transactions) are still caught by the commit
   * check, against the sequence at which each key was locked.
   */
  PESSIMISTIC;

  /**
   * The mode named {@code name}, ignoring case and surrounding blanks ({@code optimistic} or {@code
   * pessimistic}).
   *
   * @throws KevoException INVALID_ARGUMENT for any other name
   */
  public static TransactionMode parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "optimistic" -> OPTIMISTIC;
      case "pessimistic" -> PESSIMISTIC;
      default ->
          throw new KevoException(
              ErrorCode.INVALID_ARGUMENT,
              "transaction mode must be optimistic or pessimistic, got '" + name + "'");
    };
  }

  /** The name {@link #parse} takes: {@code optimistic} or {@code pessimistic}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
