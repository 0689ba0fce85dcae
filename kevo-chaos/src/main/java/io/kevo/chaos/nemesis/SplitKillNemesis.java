package io.kevo.chaos.nemesis;

import io.kevo.chaos.cluster.ChaosCluster;
import io.kevo.chaos.cluster.ShardMapFollower;
import io.kevo.chaos.history.Fault;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.ShardSplit;
import io.kevo.coordination.SplitRecord;
import io.kevo.coordination.SplitStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An online split of a shard with its primary killed while it runs (a sharded cluster only): the
 * harness splits a shard ({@link SplitPlan}) with {@link ShardSplit}, in its own JVM on its own
 * ZooKeeper session, as {@code kevo cluster split} would; starts the new shard's nodes; and kills
 * -9 the source shard's primary at a moment drawn at random ({@link Moment}): as soon as the split
 * is recorded, while the new nodes learn, or once the source is asked to fence. The victim restarts
 * after the hold. The split must finish (the source fails over and fences again in its new term,
 * the learners follow its new primary); if it is given up instead (its stages have bounds, {@link
 * #SETTINGS}), the harness aborts it so that the source serves its whole range again, and the
 * fault's detail says so. Either way the checkers judge what the clients saw.
 *
 * <p>At most {@value #MAX_SPLITS} splits a run, since each adds a shard's nodes to the machine;
 * after that, or when no shard holds two of the workload's keys, a round of this nemesis kills -9 a
 * shard's primary without a split. Keeps its count of splits: one instance per run.
 */
public final class SplitKillNemesis implements Nemesis {
  private static final Logger LOG = LoggerFactory.getLogger(SplitKillNemesis.class);

  /** Splits per run at most. */
  static final int MAX_SPLITS = 2;

  /**
   * A minute to learn (the new nodes start, copy a snapshot and catch up on a loaded machine), 30 s
   * to fence (a source that fails over meanwhile must elect again first).
   */
  static final ShardSplit.Settings SETTINGS =
      new ShardSplit.Settings(Duration.ofMinutes(1), Duration.ofSeconds(30), 1_000);

  private static final Duration RECORDED_WITHIN = Duration.ofSeconds(10);

  /**
   * When the source's primary is killed, each judged by the split's record and the new shard's
   * members as the harness reads them every 10 ms: a stage that passes quicker than that is missed,
   * and the kill then lands in the next one (the fault's detail says in which).
   */
  enum Moment {
    /** As soon as the split is recorded, before the new shard's nodes start. */
    RECORDED,
    /** Once a node of the new shard has joined its group while the split learns: it is learning. */
    LEARNING,
    /** Once the split asks the source to fence (FENCING, or FENCED and about to flip). */
    FENCING
  }

  private int splits;

  @Override
  public String kind() {
    return "split-kill";
  }

  @Override
  public Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception {
    ChaosCluster cluster = ctx.cluster();
    ShardMapFollower maps = cluster.shardMap();
    Optional<SplitPlan> plan =
        splits < MAX_SPLITS
            ? SplitPlan.of(maps.refresh(), ctx.keys(), cluster.groups())
            : Optional.empty();
    if (plan.isEmpty()) {
      return killOnly(ctx, random, hold);
    }
    splits++;
    SplitPlan p = plan.get();
    Moment moment = Moment.values()[random.nextInt(Moment.values().length)];
    long start = ctx.recorder().now();
    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    List<String> started;
    ShardSplit split =
        new ShardSplit(
            maps.coordinator(),
            SETTINGS,
            line -> {
              LOG.info("split {}: {}", p.source(), line);
              progress.add(line);
            });
    CompletableFuture<ShardSplit.Outcome> done = new CompletableFuture<>();
    Thread splitter =
        new Thread(
            () -> {
              try {
                done.complete(split.run(p.source(), p.atBytes(), p.to()));
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            },
            "chaos-split-" + p.source());
    splitter.setDaemon(true);
    splitter.start();

    SplitStore store = new SplitStore(maps.coordinator());
    Kill kill = null;
    CompletableFuture<Void> restarted = CompletableFuture.completedFuture(null);
    CompletableFuture<List<String>> starting = new CompletableFuture<>();
    try {
      awaitState(store, p, done, RECORDED_WITHIN, s -> true);
      if (state(store, p).isEmpty()) {
        // Refused before anything was written (another split of the shard under way, a map
        // changed meanwhile): no split to kill during.
        return new Fault(
            kind(),
            p.source(),
            start,
            ctx.recorder().now(),
            "split of shard "
                + p.source()
                + " at "
                + p.at()
                + " not recorded: "
                + await(done, maps, p));
      }
      if (moment == Moment.RECORDED) {
        kill = kill(cluster, store, p);
      }
      // The new nodes start on a thread of their own (a start takes seconds): the split may go
      // on to fence while the second one starts, and the kill must be able to land before that.
      Thread starter =
          new Thread(
              () -> {
                try {
                  starting.complete(cluster.addShard(p.to()));
                } catch (Exception e) {
                  starting.completeExceptionally(e);
                }
              },
              "chaos-start-" + p.to());
      starter.setDaemon(true);
      starter.start();
      if (moment == Moment.LEARNING) {
        awaitLearner(maps, store, p, done, starting);
        kill = kill(cluster, store, p);
      }
      if (moment == Moment.FENCING) {
        awaitState(
            store,
            p,
            done,
            SETTINGS.learnTimeout().plusSeconds(10),
            s -> s != SplitRecord.State.LEARNING);
        kill = kill(cluster, store, p);
      }
      NemesisContext.sleep(hold.toMillis());
      started = startedNodes(starting);
    } catch (java.io.IOException | RuntimeException e) {
      // The new shard could not start: give the split up rather than leave it recorded.
      abort(maps, p, "the harness failed: " + e.getMessage());
      throw e;
    } finally {
      if (kill != null && kill.victim() != null) {
        // While the split goes on: a restart waits until the node listens, seconds on a busy
        // machine, and the split needs only the source's new primary.
        restarted = restart(cluster, kill.victim());
      }
    }
    String ending = await(done, maps, p);
    try {
      restarted.get(3, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          kill.victim() + " did not start again: " + e.getCause().getMessage(), e.getCause());
    }
    return new Fault(
        kind(),
        p.source(),
        start,
        ctx.recorder().now(),
        "split of shard "
            + p.source()
            + " at "
            + p.at()
            + " into "
            + p.to()
            + " ("
            + String.join(", ", started)
            + " started); "
            + kill.describe(moment)
            + ", restarted after "
            + hold.toMillis()
            + " ms; "
            + ending);
  }

  /** The kill of the source's primary, and the split's state just after it. */
  private record Kill(String victim, long epoch, String state) {
    String describe(Moment moment) {
      String when = "(aimed at " + moment.name().toLowerCase() + ", split " + state + ")";
      return victim == null
          ? "no primary of the source known to kill " + when
          : "kill -9 of its primary " + victim + " (epoch " + epoch + ") " + when;
    }
  }

  private static Kill kill(ChaosCluster cluster, SplitStore store, SplitPlan p)
      throws InterruptedException {
    String victim = cluster.primaryOf(p.source());
    long epoch = cluster.epochOf(p.source());
    if (victim != null) {
      cluster.kill(victim);
    }
    String state = state(store, p).map(s -> s.name().toLowerCase()).orElse("not recorded");
    LOG.info("split {}: killed {} with the split {}", p.source(), victim, state);
    return new Kill(victim, epoch, state);
  }

  /** Starts {@code victim} again on a thread of its own. */
  private static CompletableFuture<Void> restart(ChaosCluster cluster, String victim) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                cluster.restart(victim);
                f.complete(null);
              } catch (Exception e) {
                f.completeExceptionally(e);
              }
            },
            "chaos-restart-" + victim);
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** The new shard's nodes once they all listen. */
  private static List<String> startedNodes(CompletableFuture<List<String>> starting)
      throws java.io.IOException, InterruptedException {
    try {
      return starting.get(3, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof java.io.IOException io) {
        throw io;
      }
      throw new IllegalStateException("the new shard's nodes did not start", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the new shard's nodes did not start within 3 min", e);
    }
  }

  /**
   * Waits until a node of the new shard has joined its group (it learns) while the split still
   * learns, or the split moved on or ended, or the new nodes failed to start.
   */
  private static void awaitLearner(
      ShardMapFollower maps,
      SplitStore store,
      SplitPlan p,
      CompletableFuture<?> done,
      CompletableFuture<?> starting) {
    long deadline = System.nanoTime() + SETTINGS.learnTimeout().toNanos();
    while (!done.isDone() && !starting.isCompletedExceptionally() && System.nanoTime() < deadline) {
      Optional<SplitRecord.State> s = state(store, p);
      if (s.isPresent() && s.get() != SplitRecord.State.LEARNING) {
        return;
      }
      try {
        if (!ClusterView.read(maps.coordinator().group(p.to())).members().isEmpty()) {
          return;
        }
      } catch (CoordinationException e) {
        // Read again.
      }
      NemesisContext.sleep(10);
    }
  }

  /** Waits until the split's record is in a state {@code until} accepts, or the split ended. */
  private static void awaitState(
      SplitStore store,
      SplitPlan p,
      CompletableFuture<?> done,
      Duration within,
      java.util.function.Predicate<SplitRecord.State> until) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.isDone() && System.nanoTime() < deadline) {
      Optional<SplitRecord.State> s = state(store, p);
      if (s.isPresent() && until.test(s.get())) {
        return;
      }
      NemesisContext.sleep(10);
    }
  }

  /** The state of this split's record (not an earlier split of the same shard); empty if none. */
  private static Optional<SplitRecord.State> state(SplitStore store, SplitPlan p) {
    try {
      return store
          .read(p.source())
          .map(SplitStore.Held::record)
          .filter(r -> r.to().equals(p.to()))
          .map(SplitRecord::state);
    } catch (CoordinationException e) {
      return Optional.empty();
    }
  }

  /**
   * Waits for the split to end and says how; gives up a split that failed, so that the source
   * serves its whole range again.
   */
  private static String await(
      CompletableFuture<ShardSplit.Outcome> done, ShardMapFollower maps, SplitPlan p)
      throws InterruptedException {
    Duration bound = SETTINGS.learnTimeout().plus(SETTINGS.fenceTimeout().multipliedBy(3));
    try {
      ShardSplit.Outcome o = done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return "split done: shard map version "
          + o.map().version()
          + ", "
          + p.to()
          + "'s primary "
          + o.newPrimary()
          + ", fenced at sequence "
          + o.fenceSequence()
          + " of epoch "
          + o.fenceEpoch()
          + ", moving keys paused "
          + o.pause().toMillis()
          + " ms";
    } catch (ExecutionException | TimeoutException e) {
      String why = e instanceof ExecutionException ? e.getCause().getMessage() : "timed out";
      LOG.warn("split {} into {} did not finish: {}", p.source(), p.to(), why);
      return "split NOT done (" + why + "); " + abort(maps, p, why);
    }
  }

  /**
   * Gives the split up if it is still under way (a split whose map flipped is finished instead), on
   * an object of its own: the run that made it may still be going.
   */
  private static String abort(ShardMapFollower maps, SplitPlan p, String why) {
    try {
      SplitRecord r =
          new ShardSplit(maps.coordinator(), SETTINGS, line -> {})
              .abort(p.source(), "given up by the chaos harness: " + why);
      return "the harness ended it: " + r.state().name().toLowerCase();
    } catch (CoordinationException e) {
      return "ending it: " + e.getMessage();
    }
  }

  /** No split left to make: a kill -9 of a shard's primary, restarted after the hold. */
  private Fault killOnly(NemesisContext ctx, SplittableRandom random, Duration hold)
      throws Exception {
    ChaosCluster cluster = ctx.cluster();
    String victim = cluster.anyPrimary(random);
    long start = ctx.recorder().now();
    String why =
        splits >= MAX_SPLITS
            ? MAX_SPLITS + " splits made already"
            : "no shard holds two of the workload's keys";
    if (victim == null) {
      return new Fault(kind(), "none", start, start, "no split (" + why + "); no primary known");
    }
    String group = cluster.node(victim).group();
    long epoch = cluster.epochOf(group);
    cluster.kill(victim);
    try {
      NemesisContext.sleep(hold.toMillis());
    } finally {
      cluster.restart(victim);
    }
    return new Fault(
        kind(),
        victim,
        start,
        ctx.recorder().now(),
        "no split ("
            + why
            + "); kill -9 of "
            + victim
            + ", primary of shard "
            + group
            + " (epoch "
            + epoch
            + "), restarted; primary then "
            + cluster.primaryOf(group)
            + " in epoch "
            + cluster.epochOf(group));
  }
}
