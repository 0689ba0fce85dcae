package io.kevo.chaos.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The register workload's clients, each on a thread of its own, from {@link #start()} until {@link
 * #stop}. Seeded: client {@code i} draws from a generator seeded with the run's seed and {@code i}.
 */
public final class Workload {
  private final OpRunner runner;
  private final Topology topology;
  private final WorkloadSpec spec;
  private final long seed;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  public Workload(OpRunner runner, Topology topology, WorkloadSpec spec, long seed) {
    this.runner = runner;
    this.topology = topology;
    this.spec = spec;
    this.seed = seed;
  }

  public synchronized void start() {
    running = true;
    for (int i = 1; i <= spec.clients(); i++) {
      RegisterClient c =
          new RegisterClient(i, runner, topology, spec, seed * 1_000_003L + i, () -> running);
      Thread t = new Thread(c, "chaos-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Lets every client finish the operation it is running and waits for them (an operation ends
   * within its call deadlines).
   *
   * @return whether every client stopped within {@code within}
   */
  public synchronized boolean stop(Duration within) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + within.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }
}
