package io.kevo.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How to begin a transaction ({@link KevoClient#beginTransaction(TransactionSpec)}). Immutable.
 *
 * @param readOnly whether writes are refused (a read-only transaction never locks nor conflicts)
 * @param mode the read-write mode to ask for, or null for the server's default ({@code kevo server
 *     --transactions}, optimistic unless set); ignored when read-only
 * @param lockWait how long beyond {@link ClientOptions#deadline()} a call of a read-write
 *     transaction that may lock (mode {@link TransactionMode#PESSIMISTIC} or null) may take,
 *     waiting on the server for a key's lock: match it to the server's lock timeout (5 s by
 *     default) so the server's precise {@code ABORTED} reaches the client before its own deadline
 *     does. Not negative
 */
public record TransactionSpec(boolean readOnly, TransactionMode mode, Duration lockWait) {
  /** The server's default lock timeout, which {@link #lockWait} follows unless set. */
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(5);

  /** Read-write, in the server's default mode. */
  public static final TransactionSpec READ_WRITE =
      new TransactionSpec(false, null, DEFAULT_LOCK_WAIT);

  /** Read-only. */
  public static final TransactionSpec READ_ONLY =
      new TransactionSpec(true, null, DEFAULT_LOCK_WAIT);

  /** Read-write, optimistic whatever the server's default. */
  public static final TransactionSpec OPTIMISTIC = READ_WRITE.withMode(TransactionMode.OPTIMISTIC);

  /** Read-write, pessimistic whatever the server's default. */
  public static final TransactionSpec PESSIMISTIC =
      READ_WRITE.withMode(TransactionMode.PESSIMISTIC);

  public TransactionSpec {
    Objects.requireNonNull(lockWait, "lockWait");
    if (lockWait.isNegative()) {
      throw new IllegalArgumentException("lockWait must not be negative, got " + lockWait);
    }
  }

  /** This spec in mode {@code m} (null: the server's default). */
  public TransactionSpec withMode(TransactionMode m) {
    return new TransactionSpec(readOnly, m, lockWait);
  }

  /** This spec with another {@link #lockWait}. */
  public TransactionSpec withLockWait(Duration wait) {
    return new TransactionSpec(readOnly, mode, wait);
  }

  /** Whether calls of the transaction may wait for locks on the server. */
  boolean mayLock() {
    return !readOnly && mode != TransactionMode.OPTIMISTIC;
  }
}
