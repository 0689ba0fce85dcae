package io.kevo.server;

import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.coordination.SwitchoverRequest;
import io.kevo.engine.KevoDB;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A planned switchover's steps, on both sides. The primary ({@link #handOff}): waits, writes
 * flowing, until the target is within {@link #BEHIND} entries; pauses writes; waits for the writes
 * in flight and for the target to hold every entry; then steps down, so that the target (preferred
 * by the candidate choice) is elected at once. The target ({@link #publishWhilePaused}): publishes
 * its progress every few milliseconds while the primary waits for it. What each side does to its
 * own state is its {@link Primary}'s business. Used by the failover loop's thread only.
 */
final class SwitchoverHandoff {
  /** How far behind a switchover's target may be when the primary pauses writes for it. */
  static final long BEHIND = 1_000;

  /** How long a switchover's target may take to come within {@link #BEHIND}. */
  static final Duration CATCH_UP = Duration.ofSeconds(30);

  /** The longest a switchover pauses writes before it gives up (and writes resume). */
  static final Duration PAUSE_LIMIT = Duration.ofSeconds(5);

  /** What the handing-off primary does at each step. */
  interface Primary {
    /** Refuses client writes from now on, naming the target. */
    void pauseWrites(String target);

    /** Takes client writes again (the switchover gave up). */
    void resumeWrites();

    /** Still leading, waiting for the target to come close. */
    void waiting(String target);

    /** Gives up the role: the target holds every entry up to {@code lastSequence}. */
    void stepDown(String target, long lastSequence);

    /** The switchover cannot go on; {@code why} in words. */
    void refused(SwitchoverRequest asked, String why);
  }

  private final Coordinator coordinator;
  private final ClusterRecords records;
  private final ReplicationGate gate;
  private final KevoDB db;

  SwitchoverHandoff(
      Coordinator coordinator, ClusterRecords records, ReplicationGate gate, KevoDB db) {
    this.coordinator = coordinator;
    this.records = records;
    this.gate = gate;
    this.db = db;
  }

  /** One step of a primary asked to hand over by {@code asked}; see the class comment. */
  void handOff(SwitchoverRequest asked, Primary primary) {
    Optional<MemberInfo> target = MemberRegistry.readMember(coordinator, asked.to());
    if (target.isEmpty() || target.get().noPromote()) {
      refuse(
          asked,
          primary,
          asked.to()
              + (target.isEmpty()
                  ? " is not a live member of the cluster"
                  : " is marked --no-promote"));
      return;
    }
    long behind = db.wal().nextSequence() - 1 - target.get().durableSequence();
    if (behind > BEHIND) {
      if (System.currentTimeMillis() - asked.requestedAtMillis() > CATCH_UP.toMillis()) {
        refuse(
            asked,
            primary,
            asked.to() + " is still " + behind + " entries behind after " + CATCH_UP);
      } else {
        primary.waiting(asked.to());
      }
      return;
    }
    primary.pauseWrites(asked.to());
    SwitchoverRequest paused = asked.paused(System.currentTimeMillis());
    records.updateSwitchover(paused);
    long deadline = System.nanoTime() + PAUSE_LIMIT.toNanos();
    boolean caughtUp = gate.awaitNoWriteInFlight(PAUSE_LIMIT);
    long last = db.wal().nextSequence() - 1;
    while (caughtUp) {
      Optional<MemberInfo> t = MemberRegistry.readMember(coordinator, asked.to());
      if (t.isPresent() && t.get().durableSequence() >= last) {
        break;
      }
      if (System.nanoTime() - deadline > 0 || t.isEmpty()) {
        caughtUp = false;
        break;
      }
      sleep(10);
    }
    if (!caughtUp) {
      primary.resumeWrites();
      refuse(
          paused,
          primary,
          asked.to()
              + " did not hold sequence "
              + last
              + " within "
              + PAUSE_LIMIT
              + " of the pause");
      return;
    }
    primary.stepDown(asked.to(), last);
    records.updateSwitchover(paused.handedOff());
  }

  /**
   * The target's side while the primary has paused writes for it: runs {@code publish} every few
   * milliseconds (not every tick) until the primary hands over or gives up, or {@code closed}.
   */
  void publishWhilePaused(Runnable publish, BooleanSupplier closed) {
    long deadline = System.nanoTime() + PAUSE_LIMIT.toNanos();
    while (!closed.getAsBoolean() && System.nanoTime() - deadline < 0) {
      publish.run();
      Optional<SwitchoverRequest> r = records.switchover();
      if (r.isEmpty() || r.get().isHandedOff() || r.get().isRefused()) {
        return;
      }
      sleep(5);
    }
  }

  private void refuse(SwitchoverRequest asked, Primary primary, String why) {
    records.updateSwitchover(asked.refused(why));
    primary.refused(asked, why);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
