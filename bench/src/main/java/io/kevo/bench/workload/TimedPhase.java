package io.kevo.bench.workload;

import io.kevo.bench.report.LatencyRecorder;
import io.kevo.bench.report.PhaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a phase on {@code threads} threads sharing {@code ops} operations and times it from
 * releasing the threads together to the last one finishing. Each thread records its own latency
 * samples, merged at the end.
 */
final class TimedPhase {
  /** What one thread does with its share of the operations. */
  @FunctionalInterface
  interface Body {
    void run(int thread, long share, LatencyRecorder recorder) throws Exception;
  }

  private TimedPhase() {}

  /**
   * @param opsPerSample operations behind one latency sample (1, or e.g. 100 keys of a scan)
   * @param sync whether the operations fsync (reported only)
   */
  static PhaseResult run(
      String what, int threads, long ops, int opsPerSample, boolean sync, Body body) {
    int n = (int) Math.max(1, Math.min(threads, ops));
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<LatencyRecorder> recorders = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int thread = t;
      long share = ops / n + (t < ops % n ? 1 : 0);
      LatencyRecorder recorder =
          new LatencyRecorder((int) Math.min(Integer.MAX_VALUE - 8, share / opsPerSample + 1));
      recorders.add(recorder);
      Thread worker =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  start.await();
                  body.run(thread, share, recorder);
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    Uninterruptibly.await(ready);
    long begin = System.nanoTime();
    start.countDown();
    for (Thread worker : workers) {
      Uninterruptibly.join(worker);
    }
    long elapsed = System.nanoTime() - begin;
    if (failure.get() != null) {
      throw new IllegalStateException(what + " failed: " + failure.get(), failure.get());
    }
    return PhaseResult.of(ops, n, opsPerSample, sync, elapsed, LatencyRecorder.merge(recorders));
  }
}
