package io.kevo.engine.internal;

import io.kevo.engine.ReadCeiling;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a read without a snapshot reads: the visible sequence, capped by the application's {@link
 * ReadCeiling}, raised by the read's own read-your-writes token. Snapshots (and so transactions)
 * begin there, and {@link Snapshots#oldest()} — what flushes and compactions must keep readable —
 * is computed from it, so a read at the ceiling stays exact.
 *
 * <p>The effective ceiling never goes down: it is the highest value the ceiling returned so far,
 * and at least what reads could see when the ceiling was installed. Versions below it may have been
 * dropped by compactions that judged nobody could read there; reading below it would silently miss
 * them. Thread-safe and lock-free: a read costs two volatile reads, plus a CAS when the ceiling
 * rose.
 */
final class ReadLimit {
  private volatile ReadCeiling ceiling; // null: none
  private final AtomicLong reached = new AtomicLong(); // the effective ceiling; never decreases

  /** Installs {@code c} ({@code null} or {@link ReadCeiling#NONE}: none), {@code visible} now. */
  synchronized void install(ReadCeiling c, long visible) {
    // What reads could see until now is the new ceiling's floor (older versions may be gone).
    reached.accumulateAndGet(sequence(visible, 0), Math::max);
    ceiling = c == ReadCeiling.NONE ? null : c;
  }

  /**
   * The sequence a read reads at when {@code visible} is the last visible sequence: {@code
   * min(visible, ceiling)}, or, with a {@code token} above that, {@code min(token, visible)}.
   */
  long sequence(long visible, long token) {
    long at = visible;
    ReadCeiling c = ceiling;
    if (c != null) {
      long limit = reached.get();
      long wanted = c.ceiling();
      if (wanted > limit) {
        limit = reached.accumulateAndGet(wanted, Math::max);
      }
      at = Math.min(visible, limit);
    }
    return Math.max(at, Math.min(token, visible));
  }
}
