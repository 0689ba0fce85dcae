package io.kevo.engine;

/**
 * Per-read options. Immutable.
 *
 * @param snapshot read at this snapshot's sequence, or {@code null} for the latest writes
 * @param minSequence a read-your-writes token for a read without a snapshot: read at least up to
 *     this sequence (as far as it is written), whatever the {@link ReadCeiling}; 0 for none
 */
public record ReadOptions(Snapshot snapshot, long minSequence) {
  /** Read the latest committed writes (up to the {@link ReadCeiling}, if one is set). */
  public static final ReadOptions DEFAULT = new ReadOptions(null, 0);

  public ReadOptions {
    if (minSequence < 0) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "minSequence must not be negative, got " + minSequence);
    }
    if (snapshot != null && minSequence != 0) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "a read at a snapshot takes no minSequence: the snapshot fixes its sequence");
    }
  }

  /** Read at {@code snapshot} ({@code null}: the latest writes). */
  public ReadOptions(Snapshot snapshot) {
    this(snapshot, 0);
  }

  /** Read at {@code snapshot}. */
  public static ReadOptions at(Snapshot snapshot) {
    return new ReadOptions(snapshot, 0);
  }

  /**
   * Read the latest writes, seeing at least everything up to {@code token} (a sequence the reader
   * wrote or read before) even above the {@link ReadCeiling}; 0 for no token.
   */
  public static ReadOptions atLeast(long token) {
    return token == 0 ? DEFAULT : new ReadOptions(null, token);
  }
}
