package io.kevo.engine.internal.iter;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The user-facing view of an {@link InternalIterator} at a read sequence: for each user key only
 * its newest version with sequence at most the read sequence, keys whose newest visible version is
 * a tombstone hidden, restricted to {@code [lowerInclusive, upperExclusive)}, to keys starting with
 * a prefix and to keys ending with a suffix (each optional). LevelDB's DBIter, in both directions.
 *
 * <p>Efficiency: a prefix is turned into bounds ({@code [prefix, successor(prefix))}), so prefix
 * iteration seeks straight to the prefix and stops at the first key past it, never scanning the
 * rest. Older versions and invisible newer versions are stepped over a few at a time, then skipped
 * with one seek once there are more than {@value #MAX_STEPS} (RocksDB's
 * max_sequential_skip_in_iterations), so a heavily overwritten key costs O(log n), not O(versions).
 *
 * <p>Positioning: moving forward, the source sits on the entry that is the current key's newest
 * visible version; moving backward, it sits on the last entry before all versions of the current
 * key. {@link #next()} after {@link #prev()} and the reverse re-seek the source from the current
 * key.
 *
 * <p>Returned arrays: every call to {@link #key()} or {@link #value()} returns a new array owned by
 * the caller (the iterator keeps its own copy of the current key, which it steps past by comparing
 * against it, so a caller modifying what it was given cannot derail it).
 *
 * <p>Not thread-safe. {@link #close()} closes the source and then runs the {@code onClose} hook,
 * once; it is idempotent.
 */
public final class UserIterator implements AutoCloseable {
  /** Steps over unwanted entries of one key before skipping them with a seek. */
  static final int MAX_STEPS = 8;

  private static final byte[] EMPTY = new byte[0];

  private final InternalIterator source;
  private final long readSequence;

  /** Effective bounds: the given bounds narrowed by the prefix; {@code null} is open. */
  private final byte[] lower;

  private final byte[] upper;
  private final byte[] suffix;
  private final Runnable onClose;

  private boolean valid;
  private boolean forward = true;
  private byte[] key;

  /** Moving backward, the current value (the source has moved past it); unused forward. */
  private byte[] value;

  private boolean closed;

  /**
   * @param source the merged internal stream; owned (closed) by this iterator
   * @param readSequence only versions with sequence at most this are visible
   * @param lowerInclusive lowest key returned, or {@code null}
   * @param upperExclusive keys at or above it are not returned, or {@code null}
   * @param prefix only keys starting with it are returned, or {@code null} (empty: no restriction)
   * @param suffix only keys ending with it are returned, or {@code null} (empty: no restriction)
   * @param onClose run once by {@link #close()} after the source is closed (for example to unpin
   *     files and snapshots), or {@code null}
   */
  public UserIterator(
      InternalIterator source,
      long readSequence,
      byte[] lowerInclusive,
      byte[] upperExclusive,
      byte[] prefix,
      byte[] suffix,
      Runnable onClose) {
    this.source = source;
    this.readSequence = readSequence;
    byte[] lo = lowerInclusive == null ? null : lowerInclusive.clone();
    byte[] hi = upperExclusive == null ? null : upperExclusive.clone();
    if (prefix != null && prefix.length > 0) {
      if (lo == null || InternalOrder.compareKeys(prefix, lo) > 0) {
        lo = prefix.clone();
      }
      byte[] end = successorOfPrefix(prefix);
      if (end != null && (hi == null || InternalOrder.compareKeys(end, hi) < 0)) {
        hi = end;
      }
    }
    this.lower = lo;
    this.upper = hi;
    this.suffix = suffix == null || suffix.length == 0 ? null : suffix.clone();
    this.onClose = onClose;
  }

  public boolean valid() {
    return valid;
  }

  public void seekToFirst() {
    seek(lower == null ? EMPTY : lower);
  }

  public void seekToLast() {
    checkOpen();
    forward = false;
    if (upper == null) {
      source.seekToLast();
    } else {
      positionBeforeAllVersionsOf(upper);
    }
    findPrevUserEntry();
  }

  /** Positions at the first visible key at or after {@code target} within the bounds. */
  public void seek(byte[] target) {
    checkOpen();
    forward = true;
    if (lower != null && InternalOrder.compareKeys(target, lower) < 0) {
      target = lower;
    }
    if (upper != null && InternalOrder.compareKeys(target, upper) >= 0) {
      valid = false;
      return;
    }
    // Lands directly on the newest version of target visible at the read sequence.
    source.seek(target, readSequence);
    findNextUserEntry(null);
  }

  /** Positions at the last visible key at or before {@code target} within the bounds. */
  public void seekForPrev(byte[] target) {
    checkOpen();
    forward = false;
    if (lower != null && InternalOrder.compareKeys(target, lower) < 0) {
      valid = false;
      return;
    }
    if (upper != null && InternalOrder.compareKeys(target, upper) >= 0) {
      positionBeforeAllVersionsOf(upper);
    } else {
      // Sequence 0 sorts after every version of target: lands on its oldest version, or before.
      source.seekForPrev(target, 0);
    }
    findPrevUserEntry();
  }

  public void next() {
    checkValid();
    if (!forward) {
      // The source sits before the current key; bring it back to the key's versions and skip them.
      forward = true;
      source.seek(key, InternalOrder.MAX_SEQUENCE);
    }
    findNextUserEntry(key);
  }

  public void prev() {
    checkValid();
    if (forward) {
      forward = false;
      positionBeforeAllVersionsOf(key);
    }
    findPrevUserEntry();
  }

  /** The current key; a new array owned by the caller. */
  public byte[] key() {
    checkValid();
    return key.clone();
  }

  /** The current value; a new array owned by the caller. */
  public byte[] value() {
    checkValid();
    // Moving forward the source is still on the entry that produced the current key; moving
    // backward the value was copied while stepping past the key's versions.
    return forward ? source.value().clone() : value.clone();
  }

  /** Closes the source, then runs {@code onClose}; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    valid = false;
    key = null;
    value = null;
    try {
      source.close();
    } finally {
      if (onClose != null) {
        onClose.run();
      }
    }
  }

  /**
   * From the source's position forward, finds the first entry that is a key's newest visible
   * version, is not a tombstone, is not {@code skip}, and passes the filters.
   */
  private void findNextUserEntry(byte[] skip) {
    valid = false;
    key = null;
    value = null;
    int steps = 0;
    while (source.valid()) {
      byte[] k = source.userKey();
      if (upper != null && InternalOrder.compareKeys(k, upper) >= 0) {
        return;
      }
      if (skip != null && InternalOrder.compareKeys(k, skip) <= 0) {
        if (++steps > MAX_STEPS) {
          // Many versions of a key we are done with: jump to the smallest larger key.
          source.seek(successor(skip), InternalOrder.MAX_SEQUENCE);
          steps = 0;
        } else {
          source.next();
        }
        continue;
      }
      if (!hasSuffix(k)) {
        skip = k.clone();
        steps = 0;
        source.next();
        continue;
      }
      if (source.sequence() > readSequence) {
        if (++steps > MAX_STEPS) {
          // Versions newer than the snapshot: seek straight to the newest visible one.
          source.seek(k.clone(), readSequence);
          steps = 0;
        } else {
          source.next();
        }
        continue;
      }
      // k's newest visible version.
      if (source.isTombstone()) {
        skip = k.clone();
        steps = 0;
        source.next();
        continue;
      }
      key = k.clone();
      valid = true;
      return;
    }
  }

  /**
   * From the source's position backward, finds the last key whose newest visible version is a put
   * passing the filters, leaving the source before all versions of that key.
   */
  private void findPrevUserEntry() {
    valid = false;
    key = null;
    value = null;
    while (source.valid()) {
      byte[] k = source.userKey();
      if (lower != null && InternalOrder.compareKeys(k, lower) < 0) {
        return;
      }
      byte[] candidate = k.clone();
      if (!hasSuffix(candidate)) {
        skipBackPast(candidate);
        continue;
      }
      // Walking backward meets a key's versions oldest first; the last visible one met is the
      // newest visible version.
      boolean found = false;
      boolean tombstone = false;
      byte[] val = null;
      int steps = 0;
      while (source.valid() && InternalOrder.compareKeys(source.userKey(), candidate) == 0) {
        if (++steps > MAX_STEPS) {
          // Many versions: find the newest visible one with a seek, then jump before them all.
          source.seek(candidate, readSequence);
          found = source.valid() && InternalOrder.compareKeys(source.userKey(), candidate) == 0;
          tombstone = found && source.isTombstone();
          val = found && !tombstone ? source.value().clone() : null;
          positionBeforeAllVersionsOf(candidate);
          break;
        }
        if (source.sequence() <= readSequence) {
          found = true;
          tombstone = source.isTombstone();
          val = tombstone ? null : source.value().clone();
        }
        source.prev();
      }
      if (found && !tombstone) {
        key = candidate;
        value = val;
        valid = true;
        return;
      }
    }
  }

  /** Moves the source backward past every version of {@code k} (it is on one of them). */
  private void skipBackPast(byte[] k) {
    for (int steps = 0; steps <= MAX_STEPS; steps++) {
      if (!source.valid() || InternalOrder.compareKeys(source.userKey(), k) != 0) {
        return;
      }
      source.prev();
    }
    positionBeforeAllVersionsOf(k);
  }

  /** Positions the source on the last entry whose key is smaller than {@code k}. */
  private void positionBeforeAllVersionsOf(byte[] k) {
    // (k, MAX_SEQUENCE) sorts before every real version of k.
    source.seekForPrev(k, InternalOrder.MAX_SEQUENCE);
    if (source.valid() && InternalOrder.compareKeys(source.userKey(), k) == 0) {
      source.prev();
    }
  }

  private boolean hasSuffix(byte[] k) {
    if (suffix == null) {
      return true;
    }
    int from = k.length - suffix.length;
    return from >= 0 && Arrays.equals(k, from, k.length, suffix, 0, suffix.length);
  }

  /** The smallest key larger than {@code k}: {@code k} followed by a zero byte. */
  private static byte[] successor(byte[] k) {
    return Arrays.copyOf(k, k.length + 1);
  }

  /**
   * The smallest key larger than every key starting with {@code prefix}, or {@code null} if there
   * is none (the prefix is all 0xFF bytes).
   */
  static byte[] successorOfPrefix(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("iterator is closed");
    }
  }

  private void checkValid() {
    checkOpen();
    if (!valid) {
      throw new NoSuchElementException("iterator is not positioned on a key");
    }
  }
}
