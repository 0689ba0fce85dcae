package io.kevo.engine;

import java.util.Objects;

/**
 * Options of one transaction. Immutable.
 *
 * @param readOnly a read-only transaction reads at its snapshot, never blocks writers and never
 *     conflicts; writes through it fail
 * @param isolation how a read-write transaction is checked at commit
 * @param maxBufferBytes the most key and value bytes a transaction may buffer before commit
 * @param minSequence a read-your-writes token: the snapshot is at least at this sequence (as far as
 *     it is written), whatever the {@link ReadCeiling}; 0 for none
 */
public record TransactionOptions(
    boolean readOnly, Isolation isolation, long maxBufferBytes, long minSequence) {
  public static final long DEFAULT_MAX_BUFFER_BYTES = 64L << 20;

  /** Read-write, snapshot isolation, 64 MiB of buffered writes. */
  public static final TransactionOptions DEFAULT =
      new TransactionOptions(false, Isolation.SNAPSHOT, DEFAULT_MAX_BUFFER_BYTES);

  /** Read-only at a snapshot. */
  public static final TransactionOptions READ_ONLY =
      new TransactionOptions(true, Isolation.SNAPSHOT, DEFAULT_MAX_BUFFER_BYTES);

  /** Read-write, serializable. */
  public static final TransactionOptions SERIALIZABLE =
      new TransactionOptions(false, Isolation.SERIALIZABLE, DEFAULT_MAX_BUFFER_BYTES);

  public TransactionOptions {
    Objects.requireNonNull(isolation, "isolation");
    if (maxBufferBytes < 1 || maxBufferBytes > (1L << 30)) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "maxBufferBytes must be between 1 and " + (1L << 30) + ", got " + maxBufferBytes);
    }
    if (minSequence < 0) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "minSequence must not be negative, got " + minSequence);
    }
  }

  /** Without a read-your-writes token. */
  public TransactionOptions(boolean readOnly, Isolation isolation, long maxBufferBytes) {
    this(readOnly, isolation, maxBufferBytes, 0);
  }

  /** These options with {@code token} as the read-your-writes token (see {@link #minSequence}). */
  public TransactionOptions withMinSequence(long token) {
    return new TransactionOptions(readOnly, isolation, maxBufferBytes, token);
  }
}
