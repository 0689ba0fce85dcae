package io.kevo.bench.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Keeps {@code clients} requests outstanding until the {@link PhaseClock} drains, in one of two
 * ways: one thread per client making blocking calls, or one asynchronous loop per client that sends
 * its next call from the completion of the previous one (on whatever thread completes it: the
 * channel's event loop, as the channels use a direct executor), optionally paced at a fixed rate.
 * Either way a client has exactly one call in flight, so "clients" is the number of outstanding
 * requests. Latency runs from sending a prepared request to its completion.
 */
public final class ClientLoops {
  /** How long stopped clients get to finish the calls they have in flight. */
  private static final long DRAIN_TIMEOUT_SECONDS = 60;

  private ClientLoops() {}

  /** Clients started and running; {@link #finish()} once the clock drains. */
  public interface Running {
    /**
     * Waits until every client has stopped and returns their merged tallies.
     *
     * @throws IllegalStateException if a call failed or clients did not stop in time
     */
    Tally finish();
  }

  /** One thread per client, each making blocking calls. */
  public static Running threads(int clients, IntFunction<Caller> callers, PhaseClock clock) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(clients);
    List<Tally> tallies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Caller caller = callers.apply(c);
      Tally tally = new Tally();
      tallies.add(tally);
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  while (!clock.draining()) {
                    caller.prepare();
                    long start = System.nanoTime();
                    boolean found = caller.call();
                    long nanos = System.nanoTime() - start;
                    if (clock.measuring()) {
                      tally.record(nanos, found);
                      clock.counted();
                    }
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    await(ready);
    return () -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_TIMEOUT_SECONDS);
      for (Thread t : threads) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while stopping the clients", e);
        }
        if (t.isAlive()) {
          throw new IllegalStateException(t.getName() + " did not stop");
        }
      }
      return merge(tallies, failure.get());
    };
  }

  /** One asynchronous loop per client, each with one call in flight. */
  public static Running async(int clients, IntFunction<Caller> callers, PhaseClock clock) {
    return asyncLoops(clients, callers, clock, null, 0);
  }

  /**
   * Rate-limited asynchronous loops: like {@link #async} (one call in flight per client), but
   * client {@code c} sends its k-th call no earlier than {@code start + offset_c + k × interval},
   * where {@code interval = clients / rate} and the offsets spread the clients evenly over one
   * interval. A client that falls behind (its previous call took longer than an interval) sends at
   * once, and may catch up by at most one interval's worth of calls, so a stall is not followed by
   * a burst. Waits run on one scheduler thread; calls complete on the channels' event loops.
   *
   * @param ratePerSecond calls per second of all clients together
   */
  public static Running paced(
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
    return asyncLoops(
        clients, callers, clock, scheduler, Math.max(1, (long) (clients * 1e9 / ratePerSecond)));
  }

  /** Asynchronous loops, paced by {@code scheduler} at {@code interval} unless it is null. */
  private static Running asyncLoops(
      int clients,
      IntFunction<Caller> callers,
      PhaseClock clock,
      ScheduledExecutorService scheduler,
      long interval) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(clients);
    List<AsyncClient> loops = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      loops.add(
          new AsyncClient(
              callers.apply(c),
              clock,
              stopped,
              failure,
              scheduler,
              interval,
              start + interval * c / clients));
    }
    loops.forEach(AsyncClient::next);
    return () -> {
      try {
        if (!stopped.await(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              stopped.getCount() + " asynchronous clients did not stop (calls without an answer)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the clients", e);
      } finally {
        if (scheduler != null) {
          scheduler.shutdownNow();
        }
      }
      List<Tally> tallies = new ArrayList<>();
      loops.forEach(l -> tallies.add(l.tally));
      return merge(tallies, failure.get());
    };
  }

  private static Tally merge(List<Tally> tallies, Throwable failure) {
    if (failure != null) {
      throw new IllegalStateException("a call failed: " + failure, failure);
    }
    Tally all = new Tally();
    tallies.forEach(all::add);
    return all;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the clients", e);
    }
  }

  /**
   * A client whose next call starts in the completion of the previous one (paced: is scheduled no
   * earlier than its slot). Its fields are only touched by one call's completion (or one scheduled
   * send) at a time; the gRPC call machinery orders one completion before the next call's, and the
   * latch orders the last one before {@code finish}.
   */
  private static final class AsyncClient implements Caller.Completion {
    private final Caller caller;
    private final PhaseClock clock;
    private final CountDownLatch stopped;
    private final AtomicReference<Throwable> failure;
    private final ScheduledExecutorService scheduler;
    private final long interval;
    final Tally tally = new Tally();
    private long due;
    private long started;

    AsyncClient(
        Caller caller,
        PhaseClock clock,
        CountDownLatch stopped,
        AtomicReference<Throwable> failure,
        ScheduledExecutorService scheduler,
        long interval,
        long firstDue) {
      this.caller = caller;
      this.clock = clock;
      this.stopped = stopped;
      this.failure = failure;
      this.scheduler = scheduler;
      this.interval = interval;
      this.due = firstDue;
    }

    void next() {
      if (scheduler == null) {
        send();
        return;
      }
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
