package io.kevo.server;

import io.kevo.coordination.Coordinator;
import io.kevo.coordination.LeaderElection;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.replication.ReplicaState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's judgement that the primary it follows is gone, so that the election need not wait for
 * the dead process's coordinator session to expire: the replica's stream to it is down and its
 * client port refused {@link #REFUSALS_TO_EVICT} probes in a row (one per call, a loop tick apart).
 * Then it removes the primary's member entry and leadership bid. A node stops listening only after
 * it has left the coordinator, so a refusing port is a process that is gone, not a slow one; a
 * timeout is never taken for a refusal. Confined to the election loop's thread.
 */
final class DeadPrimaryDetector {
  private static final Logger LOG = LoggerFactory.getLogger(DeadPrimaryDetector.class);

  /** Refused probes of a followed primary's port, a tick apart, before it is taken for gone. */
  static final int REFUSALS_TO_EVICT = 2;

  /** How long one probe of a primary's port may take. */
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);

  private final Coordinator coordinator;
  private int refusedProbes;

  DeadPrimaryDetector(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  /**
   * Whether primary {@code p}, followed by a replica whose state is {@code stream} (null: no
   * replica runs), is gone; if it is, its registration and bid have just been removed.
   */
  boolean isGone(MemberInfo p, ReplicaState stream) {
    if (stream != ReplicaState.CONNECTING && stream != ReplicaState.ERROR) {
      refusedProbes = 0;
      return false;
    }
    if (!PortProbe.refuses(p.clientAddress(), PROBE_TIMEOUT)) {
      refusedProbes = 0;
      return false;
    }
    if (++refusedProbes < REFUSALS_TO_EVICT) {
      return false;
    }
    refusedProbes = 0;
    LOG.warn(
        "primary {} at {} refuses connections: its process is gone; removing its registration"
            + " without waiting for its session to expire",
        p.id(),
        p.clientAddress());
    MemberRegistry.evict(coordinator, p.id());
    LeaderElection.evict(coordinator, p.id());
    return true;
  }
}
