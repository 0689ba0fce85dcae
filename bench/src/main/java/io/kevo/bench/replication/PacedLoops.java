package io.kevo.bench.replication;

import io.kevo.bench.server.Caller;
import io.kevo.bench.server.ClientLoops;
import io.kevo.bench.server.PhaseClock;
import io.kevo.bench.server.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Rate-limited asynchronous writers: like {@link ClientLoops#async} (one call in flight per
 * client), but client {@code c} sends its k-th call no earlier than {@code start + offset_c + k ×
 * interval}, where {@code interval = clients / rate} and the offsets spread the clients evenly over
 * one interval. A client that falls behind (its previous call took longer than an interval) sends
 * at once, and may catch up by at most one interval's worth of calls, so a stall is not followed by
 * a burst. Waits run on one scheduler thread; calls complete on the channels' event loops.
 */
final class PacedLoops {
  private static final long DRAIN_TIMEOUT_SECONDS = 60;

  private PacedLoops() {}

  /**
   * @param ratePerSecond calls per second of all clients together
   */
  static ClientLoops.Running start(
      int clients, double ratePerSecond, IntFunction<Caller> callers, PhaseClock clock) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("the paced rate must be positive, got " + ratePerSecond);
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-pacer");
              t.setDaemon(true);
              return t;
            });
    long interval = Math.max(1, (long) (clients * 1e9 / ratePerSecond));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(clients);
    List<Paced> loops = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      loops.add(
          new Paced(
              callers.apply(c),
              clock,
              scheduler,
              interval,
              start + interval * c / clients,
              stopped,
              failure));
    }
    loops.forEach(Paced::next);
    return () -> {
      try {
        if (!stopped.await(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException(stopped.getCount() + " paced writers did not stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the writers", e);
      } finally {
        scheduler.shutdownNow();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a call failed: " + failure.get(), failure.get());
      }
      Tally all = new Tally();
      loops.forEach(l -> all.add(l.tally));
      return all;
    };
  }

  /**
   * One paced client. Its fields are touched by one call's completion (or one scheduled send) at a
   * time: each step schedules or makes the next one.
   */
  private static final class Paced implements Caller.Completion {
    private final Caller caller;
    private final PhaseClock clock;
    private final ScheduledExecutorService scheduler;
    private final long interval;
    private final CountDownLatch stopped;
    private final AtomicReference<Throwable> failure;
    final Tally tally = new Tally();
    private long due;
    private long started;

    Paced(
        Caller caller,
        PhaseClock clock,
        ScheduledExecutorService scheduler,
        long interval,
        long firstDue,
        CountDownLatch stopped,
        AtomicReference<Throwable> failure) {
      this.caller = caller;
      this.clock = clock;
      this.scheduler = scheduler;
      this.interval = interval;
      this.due = firstDue;
      this.stopped = stopped;
      this.failure = failure;
    }

    void next() {
      if (clock.draining()) {
        stopped.countDown();
        return;
      }
      long now = System.nanoTime();
      due = Math.max(due, now - interval);
      long wait = due - now;
      try {
        if (wait > 0) {
          scheduler.schedule(this::send, wait, TimeUnit.NANOSECONDS);
        } else {
          send();
        }
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    private void send() {
      if (clock.draining()) {
        stopped.countDown();
        return;
      }
      try {
        due += interval;
        caller.prepare();
        started = System.nanoTime();
        caller.call(this);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void completed(boolean found) {
      long nanos = System.nanoTime() - started;
      if (clock.measuring()) {
        tally.record(nanos, found);
        clock.counted();
      }
      next();
    }

    @Override
    public void failed(Throwable e) {
      failure.compareAndSet(null, e);
      stopped.countDown();
    }
  }
}
