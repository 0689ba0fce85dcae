package io.kevo.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of one transaction. Immutable.
 *
 * @param readOnly a read-only transaction reads at its snapshot, never blocks writers, never locks
 *     and never conflicts; writes through it fail
 * @param isolation how a read-write transaction is checked at commit
 * @param maxBufferBytes the most key and value bytes a transaction may buffer before commit
 * @param minSequence a read-your-writes token: the snapshot is at least at this sequence (as far as
 *     it is written), whatever the {@link ReadCeiling}; 0 for none
 * @param mode optimistic (no locks, checked at commit) or pessimistic (keys locked until the end);
 *     see {@link TransactionMode}. Ignored by read-only transactions
 * @param lockTimeout how long a pessimistic transaction waits for one key's lock before it fails
 *     with {@link ErrorCode#LOCK_TIMEOUT}; zero: never wait. At most one hour
 */
public record TransactionOptions(
    boolean readOnly,
    Isolation isolation,
    long maxBufferBytes,
    long minSequence,
    TransactionMode mode,
    Duration lockTimeout) {
  public static final long DEFAULT_MAX_BUFFER_BYTES = 64L << 20;

  /** The lock timeout unless one is set: 5 seconds. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration MAX_LOCK_TIMEOUT = Duration.ofHours(1);

  /** Read-write, optimistic, snapshot isolation, 64 MiB of buffered writes. */
  public static final TransactionOptions DEFAULT =
      new TransactionOptions(false, Isolation.SNAPSHOT, DEFAULT_MAX_BUFFER_BYTES);

  /** Read-only at a snapshot. */
  public static final TransactionOptions READ_ONLY =
      new TransactionOptions(true, Isolation.SNAPSHOT, DEFAULT_MAX_BUFFER_BYTES);

  /** Read-write, optimistic, serializable. */
  public static final TransactionOptions SERIALIZABLE =
      new TransactionOptions(false, Isolation.SERIALIZABLE, DEFAULT_MAX_BUFFER_BYTES);

  /** Read-write, pessimistic (keys locked until the end, 5 s lock timeout), snapshot isolation. */
  public static final TransactionOptions PESSIMISTIC =
      DEFAULT.withMode(TransactionMode.PESSIMISTIC);

  public TransactionOptions {
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    if (maxBufferBytes < 1 || maxBufferBytes > (1L << 30)) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "maxBufferBytes must be between 1 and " + (1L << 30) + ", got " + maxBufferBytes);
    }
    if (minSequence < 0) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "minSequence must not be negative, got " + minSequence);
    }
    if (lockTimeout.isNegative() || lockTimeout.compareTo(MAX_LOCK_TIMEOUT) > 0) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "lockTimeout must be between 0 and " + MAX_LOCK_TIMEOUT + ", got " + lockTimeout);
    }
  }

  /** Optimistic, with the default lock timeout. */
  public TransactionOptions(
      boolean readOnly, Isolation isolation, long maxBufferBytes, long minSequence) {
    this(
        readOnly,
        isolation,
        maxBufferBytes,
        minSequence,
        TransactionMode.OPTIMISTIC,
        DEFAULT_LOCK_TIMEOUT);
  }

  /** Optimistic, without a read-your-writes token. */
  public TransactionOptions(boolean readOnly, Isolation isolation, long maxBufferBytes) {
    this(readOnly, isolation, maxBufferBytes, 0);
  }

  /** These options with {@code token} as the read-your-writes token (see {@link #minSequence}). */
  public TransactionOptions withMinSequence(long token) {
    return new TransactionOptions(readOnly, isolation, maxBufferBytes, token, mode, lockTimeout);
  }

  /** These options in mode {@code m}. */
  public TransactionOptions withMode(TransactionMode m) {
    return new TransactionOptions(readOnly, isolation, maxBufferBytes, minSequence, m, lockTimeout);
  }

  /** These options with lock timeout {@code timeout} (pessimistic mode only). */
  public TransactionOptions withLockTimeout(Duration timeout) {
    return new TransactionOptions(readOnly, isolation, maxBufferBytes, minSequence, mode, timeout);
  }

  /** Whether this transaction locks what it touches: read-write and pessimistic. */
  public boolean locking() {
    return !readOnly && mode == TransactionMode.PESSIMISTIC;
  }
}
