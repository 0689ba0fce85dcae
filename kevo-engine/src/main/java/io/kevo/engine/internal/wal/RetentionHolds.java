package io.kevo.engine.internal.wal;

import io.kevo.engine.RetentionHold;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The retention holds on the WAL: the lowest sequence any of them needs bounds what {@link
 * SegmentFiles#deleteObsolete} may delete. Cursors pin their position with one too, and an opening
 * hold may keep the whole log from open until its owner takes and closes it.
 *
 * <p>Thread-safe: the holds are a concurrent set, so any thread may add or close a hold without a
 * lock while the log is trimmed; a hold's own {@code advanceTo} is serialised on the hold.
 */
final class RetentionHolds {
  private final Set<Hold> holds = ConcurrentHashMap.newKeySet();
  private final AtomicReference<RetentionHold> openingHold = new AtomicReference<>();
  private final Runnable openingClosed;

  /**
   * @param openingClosed run on the closing thread when the opening hold is closed, to delete at
   *     once what only it kept
   */
  RetentionHolds(Runnable openingClosed) {
    this.openingClosed = openingClosed;
  }

  /** A new hold of everything from {@code fromSequence} on. */
  Hold add(long fromSequence) {
    Hold h = new Hold(fromSequence, false);
    holds.add(h);
    return h;
  }

  /** Holds every segment until the owner takes the hold ({@link #takeOpening()}) and closes it. */
  void installOpening() {
    Hold h = new Hold(0, true);
    holds.add(h);
    openingHold.set(h);
  }

  /** The opening hold, once; null if none was installed or it was taken. */
  RetentionHold takeOpening() {
    return openingHold.getAndSet(null);
  }

  /** The lowest sequence any hold needs, or {@link Long#MAX_VALUE}. */
  long minHeld() {
    long min = Long.MAX_VALUE;
    for (Hold h : holds) {
      min = Math.min(min, h.fromSequence());
    }
    return min;
  }

  /** A retention hold; also pins segments under a cursor. */
  final class Hold implements RetentionHold {
    private volatile long from;
    private final boolean opening;

    private Hold(long from, boolean opening) {
      this.from = from;
      this.opening = opening;
    }

    @Override
    public long fromSequence() {
      return from;
    }

    @Override
    public synchronized void advanceTo(long fromSequence) {
      if (fromSequence > from) {
        from = fromSequence;
      }
    }

    @Override
    public void close() {
      if (holds.remove(this) && opening) {
        openingClosed.run();
      }
    }
  }
}
