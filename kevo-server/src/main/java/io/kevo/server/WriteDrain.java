package io.kevo.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Thread-safe and lock-free on the write path: two atomic updates per write (and a volatile read).
 * A drain waits without polling: the last write to leave a drained phase completes it.
 */
final class WriteDrain {
  /** A set of writes under way. */
  static final class Phase {
    private final AtomicLong open = new AtomicLong();
    private volatile boolean draining;
    private final CompletableFuture<Void> empty = new CompletableFuture<>();

    /** The write has ended. */
    void leave() {
      // With draining (below): whichever of the last leave and the drain comes second sees the
      // other's write, so the drain never waits for a phase that has already emptied.
      if (open.decrementAndGet() == 0 && draining) {
        empty.complete(null);
      }
    }

    /** Completes once the phase is empty; no write enters it any more. */
    CompletableFuture<Void> drained() {
      draining = true;
      if (open.get() == 0) {
        empty.complete(null);
      }
      return empty;
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
      p.leave(); // a drain switched phases meanwhile: enter the new one
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
    CompletableFuture<?>[] each =
        waitFor.stream().map(Phase::drained).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(each).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a drain cannot fail", e);
    }
  }
}
