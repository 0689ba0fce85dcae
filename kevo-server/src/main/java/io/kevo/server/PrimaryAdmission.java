package io.kevo.server;

import io.kevo.coordination.Coordinator;
import io.kevo.coordination.Lease;
import io.kevo.coordination.SessionState;

/**
 * Whether a coordinated primary may take a write, and acknowledge one it took without waiting for
 * replicas ({@link CoordinatedNode}'s write gate). A write is refused before anything of it is done
 * when the lease has lapsed (a process paused past it refuses at once when it resumes), the
 * coordinator session is not live (SUSPENDED refuses at once), a switchover pauses writes, or the
 * node no longer holds the leadership, in that order. Other roles are not judged here (the {@link
 * ReplicationGate} judges them). Thread-safe: reads volatile state only.
 */
final class PrimaryAdmission {
  /** What the failover loop says about this node's leadership now. */
  interface Leadership {
    /** Whether it leads the cluster and still holds the election's leadership. */
    boolean holds();

    /** A switchover's target while writes are paused for it, or null. */
    String switchingTo();

    /** What the node does in the cluster, in words. */
    String state();
  }

  private final NodeReplication node;
  private final Lease lease;
  private final Coordinator coordinator;
  private final Leadership leadership;

  PrimaryAdmission(
      NodeReplication node, Lease lease, Coordinator coordinator, Leadership leadership) {
    this.node = node;
    this.lease = lease;
    this.coordinator = coordinator;
    this.leadership = leadership;
  }

  /** Why this primary must not take a write now, or null if it may (and on other roles). */
  String writeRefusal() {
    if (node.role() != NodeRole.PRIMARY) {
      return null;
    }
    String expired = lease.refusal();
    if (expired != null) {
      return "this primary's coordinator lease has lapsed: " + expired + "; nothing was written";
    }
    SessionState s = coordinator.state();
    if (s != SessionState.LIVE) {
      return "this primary's coordinator session is "
          + s
          + ": it acknowledges no write until the session is live again; nothing was written";
    }
    String target = leadership.switchingTo();
    if (target != null) {
      return "a switchover to " + target + " is under way; nothing was written";
    }
    if (!leadership.holds()) {
      return "this node no longer holds the cluster's leadership ("
          + leadership.state()
          + "); nothing was written";
    }
    return null;
  }

  /**
   * Why a write acknowledged without waiting for replicas must not be reported as done: the lease
   * lapsed or the session was suspended while it was written, so a new primary may lead without it.
   * Null if it may. (A write a replica confirmed is safe to acknowledge: the most up-to-date
   * replica is the one elected.)
   */
  String acknowledgementRefusal() {
    if (node.role() != NodeRole.PRIMARY) {
      return null;
    }
    if (!lease.valid()) {
      return "this primary's coordinator lease lapsed while the write was made; it may be lost in"
          + " a failover";
    }
    SessionState s = coordinator.state();
    if (s != SessionState.LIVE) {
      return "this primary's coordinator session became "
          + s
          + " while the write was made; it may be lost in a failover";
    }
    return null;
  }
}
