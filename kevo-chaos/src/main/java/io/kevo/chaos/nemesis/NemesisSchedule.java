package io.kevo.chaos.nemesis;

import io.kevo.chaos.history.Fault;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs nemeses one after another on its own thread until told to stop: a quiet spell of 1–4 s, then
 * a nemesis holding its fault for 2–8 s, and so on. The nemeses come in rounds, each of them once
 * per round in a shuffled order, so that a short run still meets every one of them (a minute covers
 * a round of all six). Seeded, with one random stream each for the order, the timing and the
 * nemeses' own choices, so a seed replays the same schedule even where a nemesis's choices depend
 * on the cluster's state (the timing of the nodes' reactions varies from run to run). Every fault
 * window goes to the history; a nemesis that fails is logged and counted, and the run goes on.
 */
public final class NemesisSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(NemesisSchedule.class);

  private final List<Nemesis> nemeses;
  private final NemesisContext ctx;
  private final Rounds<Nemesis> rounds;
  private final SplittableRandom timing;
  private final SplittableRandom choices;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile int failures;
  private volatile String lastFailure = "";

  public NemesisSchedule(List<Nemesis> nemeses, NemesisContext ctx, long seed) {
    this.nemeses = List.copyOf(nemeses);
    this.ctx = ctx;
    SplittableRandom seeds = new SplittableRandom(seed);
    this.rounds = new Rounds<>(this.nemeses, seeds.split());
    this.timing = seeds.split();
    this.choices = seeds.split();
    this.thread = new Thread(this::loop, "chaos-nemesis");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    if (nemeses.isEmpty()) {
      return;
    }
    while (running) {
      NemesisContext.sleep(1_000 + timing.nextInt(3_000));
      restartCrashed();
      if (!running) {
        return;
      }
      Nemesis n = rounds.next();
      Duration hold = Duration.ofMillis(2_000 + timing.nextInt(6_000));
      try {
        Fault f = n.run(ctx, choices, hold);
        ctx.recorder().record(f);
        LOG.info(
            "{} on {} for {} ms: {}",
            f.kind(),
            f.target(),
            (f.endNanos() - f.startNanos()) / 1_000_000,
            f.detail());
      } catch (Exception e) {
        failures++;
        lastFailure = n.kind() + ": " + e.getMessage();
        LOG.warn("nemesis {} failed", n.kind(), e);
      }
    }
  }

  /**
   * Records a node that exited by itself as a {@code crash} fault and starts it again, as a
   * supervisor would; the summary lists crashes, since a node should never exit on its own.
   */
  public void restartCrashed() {
    ctx.cluster()
        .unexpectedExits()
        .forEach(
            (node, status) -> {
              long at = ctx.recorder().now();
              LOG.warn("{} exited by itself with status {}; restarting it", node, status);
              try {
                ctx.cluster().restart(node);
              } catch (Exception e) {
                LOG.warn("restarting {} failed", node, e);
              }
              ctx.recorder()
                  .record(
                      new Fault(
                          "crash",
                          node,
                          at,
                          ctx.recorder().now(),
                          "exited by itself with status " + status + "; see its log"));
            });
  }

  /** Stops after the running nemesis healed its fault; waits up to {@code within}. */
  public boolean stop(Duration within) throws InterruptedException {
    running = false;
    thread.join(within.toMillis());
    return !thread.isAlive();
  }

  public int failures() {
    return failures;
  }

  public String lastFailure() {
    return lastFailure;
  }
}
