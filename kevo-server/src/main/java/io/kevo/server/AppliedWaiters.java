package io.kevo.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Reads on a replica waiting until it has applied a sequence ({@code kevo-min-sequence}).
 * Thread-safe.
 *
 * <p>Waiters sit in a map ordered by the sequence they need; {@link #applied(long)}, called by the
 * replica's apply thread after each record, releases every waiter at or below it and hands their
 * reads to the executor (the apply thread never runs a read). It costs one volatile read per
 * applied record while nobody waits. A timeout is one task on the shared timer, cancelled on
 * release: no polling, no thread per waiter. Registration re-checks the applied sequence after
 * adding the waiter, so a record applied in between is never missed.
 */
final class AppliedWaiters {
  private static final class Waiter {
    final Runnable ready;
    final LongConsumer timedOut;
    final AtomicBoolean done = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;

    Waiter(Runnable ready, LongConsumer timedOut) {
      this.ready = ready;
      this.timedOut = timedOut;
    }
  }

  private final LongSupplier appliedNow;
  private final ScheduledExecutorService timer;
  private final Executor executor;
  private final TreeMap<Long, List<Waiter>> waiting = new TreeMap<>(); // guarded by this
  private volatile long lowest = Long.MAX_VALUE;
  private volatile long applied;
  final LongAdder waits = new LongAdder();
  final LongAdder timeouts = new LongAdder();

  /**
   * @param appliedNow the replica's applied sequence (read when a wait starts or ends)
   * @param executor where released reads run
   */
  AppliedWaiters(LongSupplier appliedNow, ScheduledExecutorService timer, Executor executor) {
    this.appliedNow = appliedNow;
    this.timer = timer;
    this.executor = executor;
  }

  /** The applied sequence as known now. */
  long appliedSequence() {
    return Math.max(applied, appliedNow.getAsLong());
  }

  /** The replica applied everything up to {@code sequence}. Quick; never blocks. */
  void applied(long sequence) {
    applied = sequence;
    if (sequence >= lowest) {
      release(sequence);
    }
  }

  /**
   * Runs {@code ready} on the executor once {@code sequence} is applied, or {@code timedOut} (with
   * the applied sequence, on the timer thread) after {@code timeoutNanos}; exactly one of them.
   */
  void await(long sequence, long timeoutNanos, Runnable ready, LongConsumer timedOut) {
    waits.increment();
    Waiter w = new Waiter(ready, timedOut);
    synchronized (this) {
      waiting.computeIfAbsent(sequence, k -> new ArrayList<>(1)).add(w);
      lowest = waiting.firstKey();
    }
    try {
      w.timeout =
          timer.schedule(
              () -> expire(sequence, w), Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      expire(sequence, w); // shutting down
      return;
    }
    long now = appliedSequence();
    if (now >= sequence) {
      release(now);
    }
  }

  int pending() {
    synchronized (this) {
      int n = 0;
      for (List<Waiter> l : waiting.values()) {
        n += l.size();
      }
      return n;
    }
  }

  private void release(long sequence) {
    List<Waiter> ready = new ArrayList<>();
    synchronized (this) {
      Map<Long, List<Waiter>> head = waiting.headMap(sequence, true);
      for (List<Waiter> l : head.values()) {
        ready.addAll(l);
      }
      head.clear();
      lowest = waiting.isEmpty() ? Long.MAX_VALUE : waiting.firstKey();
    }
    for (Waiter w : ready) {
      if (!w.done.compareAndSet(false, true)) {
        continue;
      }
      ScheduledFuture<?> t = w.timeout;
      if (t != null) {
        t.cancel(false);
      }
      try {
        executor.execute(w.ready);
      } catch (RejectedExecutionException e) {
        w.timedOut.accept(appliedSequence()); // shutting down: answer rather than hang
      }
    }
  }

  private void expire(long sequence, Waiter w) {
    if (!w.done.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      List<Waiter> l = waiting.get(sequence);
      if (l != null && l.remove(w) && l.isEmpty()) {
        waiting.remove(sequence);
      }
      lowest = waiting.isEmpty() ? Long.MAX_VALUE : waiting.firstKey();
    }
    long now = appliedSequence();
    if (now >= sequence) {
      // Applied without a wake-up (e.g. the position moved by other means): serve it.
      try {
        executor.execute(w.ready);
        return;
      } catch (RejectedExecutionException e) {
        // shutting down: answer below
      }
    }
    timeouts.increment();
    w.timedOut.accept(now);
  }
}
