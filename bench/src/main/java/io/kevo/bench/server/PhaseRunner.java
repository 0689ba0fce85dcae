package io.kevo.bench.server;

import io.kevo.bench.report.LatencyHistogram;
import io.kevo.bench.report.ProcessCpu;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one (workload, clients) phase: starts the clients, lets them warm up, then times a window of
 * {@link LoadParams#durationSeconds()} and reads the CPU counters of the serving process and of the
 * load generator on both edges of the window, then drains the clients.
 */
final class PhaseRunner {
  private PhaseRunner() {}

  /**
   * @param settle run (untimed) before the clients start, or null
   * @param start starts the clients on the given clock
   * @param servingCpu CPU time of the process serving the calls so far, or empty
   * @param driverCpu CPU time of the load generator so far, or null where it is the same process as
   *     the serving one
   */
  static PhaseStats run(
      LoadParams params,
      RequestKind workload,
      int clients,
      Runnable settle,
      Function<PhaseClock, ClientLoops.Running> start,
      Supplier<Optional<ProcessCpu.Sample>> servingCpu,
      Supplier<Optional<ProcessCpu.Sample>> driverCpu) {
    long settleStart = System.nanoTime();
    if (settle != null) {
      settle.run();
    }
    double settleMs = settle == null ? 0 : (System.nanoTime() - settleStart) / 1e6;
    PhaseClock clock = new PhaseClock();
    ClientLoops.Running running = start.apply(clock);
    Tally tally;
    long began;
    long ended;
    Optional<ProcessCpu.Sample> serving0;
    Optional<ProcessCpu.Sample> serving1;
    Optional<ProcessCpu.Sample> driver0 = Optional.empty();
    Optional<ProcessCpu.Sample> driver1 = Optional.empty();
    try {
      sleep(params.warmupSeconds());
      serving0 = servingCpu.get();
      if (driverCpu != null) {
        driver0 = driverCpu.get();
      }
      began = System.nanoTime();
      clock.startMeasuring();
      sleep(params.durationSeconds());
      clock.awaitFirstCounted();
    } finally {
      clock.drain();
    }
    ended = System.nanoTime();
    serving1 = servingCpu.get();
    if (driverCpu != null) {
      driver1 = driverCpu.get();
    }
    tally = running.finish();
    LatencyHistogram h = tally.latency;
    return new PhaseStats(
        workload.id(),
        clients,
        params.opsPerCall(workload),
        tally.calls,
        tally.found,
        (ended - began) / 1e9,
        new PhaseStats.Latency(
            h.percentile(50) / 1e3,
            h.percentile(99) / 1e3,
            h.percentile(99.9) / 1e3,
            h.mean() / 1e3,
            h.max() / 1e3),
        seconds(serving0, serving1, false),
        seconds(serving0, serving1, true),
        seconds(driver0, driver1, false),
        settleMs);
  }

  /** Runs clients for {@code seconds} without counting anything (the JIT warm-up). */
  static void untimed(double seconds, Function<PhaseClock, ClientLoops.Running> start) {
    PhaseClock clock = new PhaseClock();
    ClientLoops.Running running = start.apply(clock);
    try {
      sleep(seconds);
    } finally {
      clock.drain();
    }
    running.finish();
  }

  /** CPU seconds between two samples (only the kernel's part if {@code system}), or null. */
  private static Double seconds(
      Optional<ProcessCpu.Sample> from, Optional<ProcessCpu.Sample> to, boolean system) {
    if (from.isEmpty() || to.isEmpty()) {
      return null;
    }
    long nanos =
        system
            ? to.get().systemNanos() - from.get().systemNanos()
            : to.get().totalNanos() - from.get().totalNanos();
    return nanos / 1e9;
  }

  private static void sleep(double seconds) {
    try {
      TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a phase", e);
    }
  }
}
