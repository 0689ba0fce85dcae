package io.kevo.engine;

/**
 * Per-read options. Immutable.
 *
 * @param snapshot read at this snapshot's sequence, or {@code null} for the latest writes
 */
public record ReadOptions(Snapshot snapshot) {
  /** Read the latest committed writes. */
  public static final ReadOptions DEFAULT = new ReadOptions(null);

  /** Read at {@code snapshot}. */
  public static ReadOptions at(Snapshot snapshot) {
    return new ReadOptions(snapshot);
  }
}
