package io.kevo.coordination;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Splits a shard online ({@code kevo cluster split}, issue 20): shard {@code from} gives the keys
 * from {@code at} to the end of its range to a new shard {@code to}, whose nodes copy {@code
 * from}'s log first. Every step is in the split's record ({@link SplitStore}), so a run that stops
 * is resumed by running it again, or given up with {@link #abort}:
 *
 * <ol>
 *   <li>record the split (LEARNING); the new shard's nodes learn {@code from}'s log, bootstrapping
 *       from a snapshot of it and then following its primary;
 *   <li>once a learner is within {@link Settings#catchUpEntries()} of {@code from}'s primary, ask
 *       for the fence (FENCING): {@code from}'s nodes stop serving the moving keys, and its primary
 *       records the last sequence that can hold a write of them (FENCED);
 *   <li>once a learner holds that sequence of that primary's term, flip the map (a conditional
 *       write) so that {@code to} owns the moving keys, and record DONE; {@code to}'s nodes elect
 *       their primary at once.
 * </ol>
 *
 * Between the fence and the new shard's primary, writes of the moving keys are refused with a
 * redirect that clients retry; no other key pauses. If the learner does not reach the fence within
 * {@link Settings#fenceTimeout()}, the split is given up and {@code from} serves its whole range
 * again. Not thread-safe: one run at a time per object.
 */
public final class ShardSplit {
  /** How long each stage may take. */
  public record Settings(Duration learnTimeout, Duration fenceTimeout, long catchUpEntries) {
    /** Ten minutes to learn (a large shard's snapshot), 30 s to fence, within 1,000 entries. */
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(10), Duration.ofSeconds(30), 1_000);
    }
  }

  /** What a split did. */
  public record Outcome(
      ShardMap map, String newPrimary, long fenceEpoch, long fenceSequence, Duration pause) {}

  /** How often the run looks at the cluster. */
  static final Duration POLL = Duration.ofMillis(50);

  private final Coordinator coordinator;
  private final SplitStore splits;
  private final ShardMapStore maps;
  private final Settings settings;
  private final Consumer<String> progress;

  /**
   * @param progress told each step in a line of text
   */
  public ShardSplit(Coordinator coordinator, Settings settings, Consumer<String> progress) {
    this.coordinator = coordinator;
    this.splits = new SplitStore(coordinator);
    this.maps = new ShardMapStore(coordinator);
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Splits {@code from} at {@code at} into {@code to}, or resumes that split.
   *
   * @throws IllegalArgumentException if the split does not fit the map (no shard {@code from},
   *     {@code to} taken, {@code at} outside {@code from}'s range); nothing is written
   * @throws CoordinationException if the cluster is not sharded, another split of {@code from} is
   *     under way, a stage timed out (saying what was left), or the ensemble failed
   */
  public Outcome run(String from, byte[] at, String to) {
    ShardMap map = currentMap();
    SplitStore.Held held = begin(map, from, at, to);
    long fencedAt = System.nanoTime();
    if (held.record().state() == SplitRecord.State.LEARNING) {
      awaitCatchUp(held.record());
      held = write(held, held.record().fencing(System.currentTimeMillis()));
      fencedAt = System.nanoTime();
      progress.accept("asked shard " + from + " to fence the keys from " + text(at) + " on");
    }
    if (!held.record().state().ended()) {
      held = awaitFenceAndFlip(held, fencedAt);
    }
    String primary = awaitPrimary(to);
    Duration pause = Duration.ofNanos(System.nanoTime() - fencedAt);
    progress.accept("shard " + to + " serves " + text(at) + " on; its primary is " + primary);
    return new Outcome(
        currentMap(), primary, held.record().fenceEpoch(), held.record().fenceSequence(), pause);
  }

  /**
   * Gives up {@code from}'s split under way: {@code from} serves its whole range again and the new
   * shard's nodes stop learning. A split whose map has flipped is finished instead (DONE).
   *
   * @return the record as written
   * @throws CoordinationException if {@code from} has no split under way
   */
  public SplitRecord abort(String from, String why) {
    while (true) {
      SplitStore.Held held =
          splits
              .read(from)
              .filter(h -> !h.record().state().ended())
              .orElseThrow(
                  () -> new CoordinationException("shard " + from + " has no split under way"));
      SplitRecord r = held.record();
      SplitRecord next = flipped(currentMap(), r) ? r.in(SplitRecord.State.DONE) : r.aborted(why);
      if (splits.replace(held, next).isPresent()) {
        return next;
      }
    }
  }

  /** Records the split, or picks up the one under way if it is the same. */
  private SplitStore.Held begin(ShardMap map, String from, byte[] at, String to) {
    Optional<SplitStore.Held> under = splits.read(from).filter(h -> !h.record().state().ended());
    if (under.isPresent()) {
      SplitRecord r = under.get().record();
      if (!r.to().equals(to) || !java.util.Arrays.equals(r.at(), at)) {
        throw new CoordinationException(
            "a split of shard "
                + from
                + " is under way: "
                + r.describe()
                + "; finish it (the same kevo cluster split again) or abort it (--abort)");
      }
      progress.accept("resuming the split " + r.describe());
      return under.get();
    }
    map.split(from, at, to); // checks the split fits before anything is written
    SplitStore.Held h =
        splits.create(SplitRecord.begin(from, to, at, map.version(), System.currentTimeMillis()));
    progress.accept(
        "recorded the split of shard "
            + from
            + " at "
            + text(at)
            + " into "
            + to
            + "; start the new shard's nodes with kevo server ... --shard "
            + to);
    return h;
  }

  /** Waits until a learner of {@code to} is within the catch-up distance of the source primary. */
  private void awaitCatchUp(SplitRecord r) {
    long deadline = System.nanoTime() + settings.learnTimeout().toNanos();
    long lastSaid = 0;
    while (true) {
      Optional<MemberInfo> source = ClusterView.read(coordinator.group(r.from())).primaryMember();
      Optional<MemberInfo> best = bestLearner(r.to());
      if (source.isPresent() && best.isPresent()) {
        long behind = source.get().durableSequence() - best.get().durableSequence();
        if (best.get().epoch() == source.get().epoch() && behind <= settings.catchUpEntries()) {
          progress.accept(
              "learner " + best.get().id() + " is " + Math.max(0, behind) + " entries behind");
          return;
        }
        if (System.nanoTime() - lastSaid > 5_000_000_000L) {
          lastSaid = System.nanoTime();
          progress.accept(
              "learner "
                  + best.get().id()
                  + " is "
                  + behind
                  + " entries behind "
                  + source.get().id());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new CoordinationException(
            "no node of shard "
                + r.to()
                + " caught up with shard "
                + r.from()
                + " within "
                + settings.learnTimeout().toSeconds()
                + " s"
                + (best.isEmpty()
                    ? " (none is running: start them with --shard " + r.to() + ")"
                    : "")
                + "; the split stays recorded: run the command again to go on, or --abort");
      }
      pause();
    }
  }

  /** Waits for the fence and a learner holding it, then flips the map; gives up on timeout. */
  private SplitStore.Held awaitFenceAndFlip(SplitStore.Held held, long fencedAt) {
    long deadline = fencedAt + settings.fenceTimeout().toNanos();
    long nearestSaid = -1;
    while (true) {
      SplitRecord r = held.record();
      if (r.state() == SplitRecord.State.ABORTED) {
        throw new CoordinationException("the split " + r.describe() + " was aborted: " + r.note());
      }
      ShardMap map = currentMap();
      if (flipped(map, r)) {
        return write(held, r.in(SplitRecord.State.DONE)); // an earlier run flipped it
      }
      if (r.state() == SplitRecord.State.FENCED) {
        Optional<MemberInfo> holder =
            ClusterView.read(coordinator.group(r.to())).members().stream()
                .filter(
                    m -> m.epoch() == r.fenceEpoch() && m.durableSequence() >= r.fenceSequence())
                .findFirst();
        // The fence's term must still be the shard's newest: a primary that claimed a later one
        // reads the record after its claim and fences again, and the map waits for its fence.
        boolean fenceTermCurrent =
            new EpochLedger(coordinator.group(r.from())).current() == r.fenceEpoch();
        if (holder.isEmpty()) {
          long nearest =
              ClusterView.read(coordinator.group(r.to())).members().stream()
                  .mapToLong(MemberInfo::durableSequence)
                  .max()
                  .orElse(-1);
          if (nearest != nearestSaid) {
            nearestSaid = nearest;
            progress.accept(
                "waiting for a node of shard "
                    + r.to()
                    + " to reach the fence, sequence "
                    + r.fenceSequence()
                    + " of epoch "
                    + r.fenceEpoch()
                    + (nearest < 0 ? ": none is running" : ": the nearest holds " + nearest));
          }
        }
        if (holder.isPresent() && fenceTermCurrent) {
          Optional<SplitStore.Held> done = flipAndFinish(held);
          if (done.isPresent()) {
            progress.accept(
                "flipped the shard map: "
                    + holder.get().id()
                    + " holds sequence "
                    + r.fenceSequence()
                    + " of epoch "
                    + r.fenceEpoch()
                    + ", the fence");
            return done.get();
          }
          // The record changed meanwhile (a primary fenced again, or the split was aborted).
        }
      }
      if (System.nanoTime() > deadline) {
        abort(
            r.from(),
            "the fence was not reached within " + settings.fenceTimeout().toSeconds() + " s");
        throw new CoordinationException(
            "the split "
                + r.describe()
                + " was given up: "
                + (r.state() == SplitRecord.State.FENCING
                    ? "shard " + r.from() + "'s primary did not fence"
                    : "no node of shard "
                        + r.to()
                        + " reached the fence, sequence "
                        + r.fenceSequence()
                        + " of epoch "
                        + r.fenceEpoch())
                + " within "
                + settings.fenceTimeout().toSeconds()
                + " s; shard "
                + r.from()
                + " serves its whole range again");
      }
      pause();
      held = splits.read(r.from()).orElseThrow(() -> gone(r));
    }
  }

  /**
   * Writes the map that gives the moving keys to the new shard, made from the map held now, and
   * records the split as done, in one ZooKeeper transaction conditional on both znodes' versions:
   * an abort (or a new fence) recorded since {@code held} was read makes it fail as a whole, so a
   * split is never both aborted and flipped; a map changed by another shard's split is read again.
   *
   * @return the record as written; empty if the record changed since {@code held} was read
   */
  private Optional<SplitStore.Held> flipAndFinish(SplitStore.Held held) {
    SplitRecord r = held.record();
    SplitRecord done = r.in(SplitRecord.State.DONE);
    while (true) {
      ShardMapStore.Versioned m = maps.readVersioned();
      ShardMap next = m.map().split(r.from(), r.at(), r.to());
      CuratorFramework client = coordinator.client();
      try {
        client
            .transaction()
            .forOperations(
                client
                    .transactionOp()
                    .setData()
                    .withVersion(held.znodeVersion())
                    .forPath(splits.path(r.from()), SplitStore.encode(done)),
                client
                    .transactionOp()
                    .setData()
                    .withVersion(m.znodeVersion())
                    .forPath(maps.path(), ShardMapStore.encodeBounded(next)));
        return Optional.of(new SplitStore.Held(done, held.znodeVersion() + 1));
      } catch (KeeperException.BadVersionException e) {
        boolean recordChanged =
            splits.read(r.from()).map(h -> h.znodeVersion() != held.znodeVersion()).orElse(true);
        if (recordChanged) {
          return Optional.empty();
        }
        // Another shard's split changed the map first: make the next map from the new one.
      } catch (Exception e) {
        throw new CoordinationException("cannot write the flip of the split " + r.describe(), e);
      }
    }
  }

  /** Whether {@code map} gives {@code r}'s moving keys to its new shard. */
  private static boolean flipped(ShardMap map, SplitRecord r) {
    return map.shard(r.to()).map(s -> s.contains(r.at())).orElse(false);
  }

  /** Waits for the new shard's elected primary (its id), up to the fence timeout. */
  private String awaitPrimary(String to) {
    long deadline = System.nanoTime() + settings.fenceTimeout().toNanos();
    while (true) {
      Optional<MemberInfo> p = ClusterView.read(coordinator.group(to)).primaryMember();
      if (p.isPresent()) {
        return p.get().id();
      }
      if (System.nanoTime() > deadline) {
        throw new CoordinationException(
            "the map gives the keys to shard "
                + to
                + ", but it elected no primary within "
                + settings.fenceTimeout().toSeconds()
                + " s: see kevo cluster status");
      }
      pause();
    }
  }

  /** The live member of {@code to} with the most of the log. */
  private Optional<MemberInfo> bestLearner(String to) {
    return ClusterView.read(coordinator.group(to)).members().stream()
        .max(java.util.Comparator.comparingLong(MemberInfo::durableSequence));
  }

  /** Writes {@code next} over {@code held}, reading again if a source primary wrote meanwhile. */
  private SplitStore.Held write(SplitStore.Held held, SplitRecord next) {
    Optional<SplitStore.Held> w = splits.replace(held, next);
    while (w.isEmpty()) {
      SplitStore.Held now = splits.read(next.from()).orElseThrow(() -> gone(next));
      SplitRecord r = now.record();
      if (r.state() == SplitRecord.State.ABORTED) {
        throw new CoordinationException("the split " + r.describe() + " was aborted: " + r.note());
      }
      // Keep the fence the source's primary recorded meanwhile; change only the state.
      SplitRecord merged =
          next.state() == SplitRecord.State.DONE
              ? r.in(SplitRecord.State.DONE)
              : r.fencing(next.fencedMillis());
      w = splits.replace(now, merged);
    }
    return w.get();
  }

  private ShardMap currentMap() {
    return maps.read()
        .orElseThrow(
            () ->
                new CoordinationException(
                    "cluster "
                        + coordinator.options().cluster()
                        + " is not sharded (no shard map)"));
  }

  private static CoordinationException gone(SplitRecord r) {
    return new CoordinationException("the record of the split " + r.describe() + " vanished");
  }

  private static String text(byte[] key) {
    return ShardRange.keyText(key);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CoordinationException("interrupted", e);
    }
  }
}
