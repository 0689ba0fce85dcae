package io.kevo.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client writes under way on this node, so that a split's fence can wait for every write
 * admitted before it ({@link #drain}): after the shard gate stops admitting the moving keys, the
 * writes it admitted earlier may still be on their way to the log, and the fence's sequence must
 * come after all of them.
 *
 * <p>Writes enter a phase and leave it when their call ends. {@link #drain} starts a new phase and
 * waits until the old one is empty: a write that entered the old phase entered before the drain
 * began (a write that reads the old phase after the switch leaves it and enters the new one).
 * Thread-safe and lock-free on the write path: two atomic updates per write.
 */
final class WriteDrain {
  /** A set of writes under way. */
  static final class Phase {
    private final AtomicLong open = new AtomicLong();

    /** The write has ended. */
    void leave() {
      open.decrementAndGet();
    }
  }

  private volatile Phase current = new Phase();
  private final List<Phase> older = new ArrayList<>(); // guarded by this

  /** A write begins: call {@link Phase#leave()} on the result when its call ends. */
  Phase enter() {
    while (true) {
      Phase p = current;
      p.open.incrementAndGet();
      if (p == current) {
        return p;
      }
      p.open.decrementAndGet(); // a drain switched phases meanwhile: enter the new one
    }
  }

  /**
   * Waits until every write that entered before this call has ended, up to {@code timeout} (also
   * those an earlier drain that timed out waited for).
   *
   * @return whether they all ended in time
   */
  boolean drain(Duration timeout) {
    List<Phase> waitFor;
    synchronized (this) {
      older.add(current);
      current = new Phase();
      older.removeIf(p -> p.open.get() == 0);
      waitFor = List.copyOf(older);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Phase old : waitFor) {
      while (old.open.get() > 0) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }
}
