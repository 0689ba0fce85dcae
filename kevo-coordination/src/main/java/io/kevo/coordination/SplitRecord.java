package io.kevo.coordination;

import java.util.Arrays;
import java.util.Objects;

/**
 * A shard split under way or ended, as {@code kevo cluster split} records it for the nodes of both
 * shards ({@link SplitStore}). Shard {@code from} gives the keys from {@code at} to the end of its
 * range to a new shard {@code to}; the map flips from version {@code mapVersion} to the next.
 *
 * <p>The states, in order:
 *
 * <ul>
 *   <li>{@link State#LEARNING}: the new shard's nodes copy {@code from}'s log as learners (their
 *       acknowledgements count for nothing in {@code from}).
 *   <li>{@link State#FENCING}: {@code from}'s primary is asked to stop serving the moving keys.
 *   <li>{@link State#FENCED}: it has; every write of the moving keys it took is at or before {@code
 *       fenceSequence} of its term {@code fenceEpoch}. A primary elected later in {@code from}
 *       fences again and records its own term and sequence.
 *   <li>{@link State#DONE}: the map has flipped. {@code from}'s nodes keep refusing the moving keys
 *       until they hold the new map.
 *   <li>{@link State#ABORTED}: given up before the flip; {@code from} serves its whole range again.
 * </ul>
 *
 * @param from the shard that splits
 * @param to the new shard's id
 * @param at the new shard's first key
 * @param mapVersion the version of the map the split is made from
 * @param state where the split is
 * @param fenceEpoch the term of {@code from}'s primary that fenced (0 before)
 * @param fenceSequence the last sequence of that term's log holding a write of the moving keys (0
 *     before)
 * @param startedMillis when the split was asked for (wall clock)
 * @param fencedMillis when the first fence was asked for (0 before)
 * @param note why it was aborted, or empty
 */
public record SplitRecord(
    String from,
    String to,
    byte[] at,
    long mapVersion,
    State state,
    long fenceEpoch,
    long fenceSequence,
    long startedMillis,
    long fencedMillis,
    String note) {

  /** Where a split is. */
  public enum State {
    LEARNING,
    FENCING,
    FENCED,
    DONE,
    ABORTED;

    /** Whether the split has ended (flipped or given up). */
    public boolean ended() {
      return this == DONE || this == ABORTED;
    }
  }

  /** Checks the fields. */
  public SplitRecord {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(state, "state");
    note = note == null ? "" : note;
    at = at.clone();
    if (at.length == 0) {
      throw new IllegalArgumentException("a split point cannot be the empty key");
    }
    if (from.equals(to)) {
      throw new IllegalArgumentException("a shard cannot split into itself: " + from);
    }
  }

  /** A split of {@code from} at {@code at} into {@code to}, learning, made from map {@code v}. */
  public static SplitRecord begin(String from, String to, byte[] at, long v, long nowMillis) {
    return new SplitRecord(from, to, at, v, State.LEARNING, 0, 0, nowMillis, 0, "");
  }

  @Override
  public byte[] at() {
    return at.clone();
  }

  /**
   * Whether {@code key} moves to the new shard (at or after {@code at}; the range's end is the
   * map's).
   */
  public boolean moves(byte[] key) {
    return Arrays.compareUnsigned(key, at) >= 0;
  }

  /** A copy in {@code next} state. */
  public SplitRecord in(State next) {
    return new SplitRecord(
        from,
        to,
        at,
        mapVersion,
        next,
        fenceEpoch,
        fenceSequence,
        startedMillis,
        fencedMillis,
        note);
  }

  /** A copy asking for the fence at {@code nowMillis}. */
  public SplitRecord fencing(long nowMillis) {
    return new SplitRecord(
        from,
        to,
        at,
        mapVersion,
        State.FENCING,
        fenceEpoch,
        fenceSequence,
        startedMillis,
        fencedMillis == 0 ? nowMillis : fencedMillis,
        note);
  }

  /** A copy fenced by the primary of term {@code epoch} at {@code sequence}. */
  public SplitRecord fenced(long epoch, long sequence) {
    return new SplitRecord(
        from, to, at, mapVersion, State.FENCED, epoch, sequence, startedMillis, fencedMillis, note);
  }

  /** A copy given up, saying why. */
  public SplitRecord aborted(String why) {
    return new SplitRecord(
        from,
        to,
        at,
        mapVersion,
        State.ABORTED,
        fenceEpoch,
        fenceSequence,
        startedMillis,
        fencedMillis,
        why);
  }

  /** Whether {@code from}'s nodes must refuse the moving keys (fencing, fenced or flipped). */
  public boolean fencesSource() {
    return state == State.FENCING || state == State.FENCED || state == State.DONE;
  }

  /** In words: "s1 into s3 at "m" (LEARNING)". */
  public String describe() {
    return from + " into " + to + " at " + ShardRange.keyText(at) + " (" + state + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SplitRecord r
        && from.equals(r.from)
        && to.equals(r.to)
        && Arrays.equals(at, r.at)
        && mapVersion == r.mapVersion
        && state == r.state
        && fenceEpoch == r.fenceEpoch
        && fenceSequence == r.fenceSequence
        && startedMillis == r.startedMillis
        && fencedMillis == r.fencedMillis
        && note.equals(r.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, to, Arrays.hashCode(at), mapVersion, state, fenceSequence);
  }

  @Override
  public String toString() {
    return "SplitRecord["
        + describe()
        + ", map v"
        + mapVersion
        + ", fence "
        + fenceEpoch
        + "/"
        + fenceSequence
        + "]";
  }
}
