package io.kevo.server;

import io.kevo.replication.AckResult;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.primary.Primary;
import io.kevo.wire.AckLevel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a node's replication role allows of a client call, decided before anything is written or
 * read: whether a write is allowed (a replica refuses it, naming the primary; a superseded primary
 * refuses it; a primary refuses it while fewer replicas than {@code --min-replicas-to-write} are
 * connected), which acknowledgement level it waits for and the wait itself, whether a read is
 * allowed (a primary that does not yet know which writes a replica holds refuses it), and the epoch
 * reported with each write. Reads the role and its parts from {@link NodeReplication} at each call;
 * keeps no state of its own. Thread-safe.
 */
final class ReplicationGate {
  private final NodeReplication node;
  private final ServerOptions options;
  private volatile CoordinatedNode coordinated;

  /** Writes between their check and the end of their commit (a switchover waits for none). */
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  ReplicationGate(NodeReplication node, ServerOptions options) {
    this.node = node;
    this.options = options;
  }

  /**
   * Refuses a client read on a coordinated primary that cannot tell it still leads (its lease,
   * session or leadership; see {@link CoordinatedNode#writeRefusal()}), and on a primary that does
   * not know yet which of its writes a replica holds (after it opened, at an acknowledgement level
   * other than {@code async}): a read of a write no replica has could be taken back by a failover.
   *
   * @throws ServerException NO_PRIMARY, or READS_UNCONFIRMED saying up to which sequence it waits
   */
  void checkReadable() {
    CoordinatedNode c = coordinated;
    if (c != null) {
      String notLeading = c.writeRefusal();
      if (notLeading != null) {
        // A primary that may have been replaced must not answer reads as the primary either: a
        // newer one may already have acknowledged writes it does not have.
        throw new ServerException(
            ServerException.Reason.NO_PRIMARY,
            "this node cannot tell it still leads, so it serves no read as the primary: "
                + notLeading.replace("; nothing was written", "")
                + "; read another node");
      }
    }
    String why = readRefusal();
    if (why != null) {
      throw new ServerException(ServerException.Reason.READS_UNCONFIRMED, why);
    }
  }

  /** Why client reads are refused now (see {@link #checkReadable()}), or null. */
  String readRefusal() {
    CoordinatedNode c = coordinated;
    String notLeading = c == null ? null : c.writeRefusal();
    if (notLeading != null) {
      return notLeading;
    }
    Primary p = node.primary();
    return p == null ? null : p.readRefusal();
  }

  /** A write begins its check (call {@link #writeEnded()} once it committed or failed). */
  void writeStarted() {
    inFlight.incrementAndGet();
  }

  /** The write begun by {@link #writeStarted()} is committed or failed. */
  void writeEnded() {
    inFlight.decrementAndGet();
  }

  /**
   * Waits until no write is between its check and its commit, up to {@code timeout}: once writes
   * are refused, what the log holds then is all there will be.
   *
   * @return false on timeout or interrupt
   */
  boolean awaitNoWriteInFlight(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Sets the node's part in automatic failover, once it has started. */
  void coordinated(CoordinatedNode c) {
    this.coordinated = c;
  }

  /**
   * Refuses a client write on a replica, and on a coordinated primary without its lease, a live
   * session or the leadership (checked first: a primary paused past its lease refuses before it
   * looks at anything else).
   *
   * @throws ServerException {@link ServerException.Reason#READ_ONLY_REPLICA} naming the primary, or
   *     {@link ServerException.Reason#NO_PRIMARY}
   */
  void checkWritable() {
    CoordinatedNode c = coordinated;
    if (c != null) {
      String refusal = c.writeRefusal();
      if (refusal != null) {
        throw new ServerException(ServerException.Reason.NO_PRIMARY, refusal);
      }
    }
    if (node.role() == NodeRole.REPLICA) {
      if (node.primaryAddress() == null || (c != null && !c.clusterHasPrimary())) {
        throw new ServerException(
            ServerException.Reason.NO_PRIMARY,
            "the cluster has no primary now"
                + (c != null ? " (" + c.state() + ")" : "")
                + "; nothing was written");
      }
      String primaryAddress = node.primaryAddress();
      throw new ServerException(
          ServerException.Reason.READ_ONLY_REPLICA,
          "this node is a read-only replica; send writes to the primary at " + primaryAddress,
          primaryAddress);
    }
    Primary p = node.primary();
    String superseded = p == null ? null : p.supersededBy();
    if (superseded != null) {
      throw new ServerException(
          ServerException.Reason.SUPERSEDED,
          "this primary has been superseded and refuses writes (nothing was written): "
              + superseded);
    }
  }

  /**
   * Refuses a client write before anything is written: on a replica (naming the primary); on a
   * primary while fewer replicas than {@link ServerOptions#minReplicasToWrite()} are connected; and
   * a {@code replica:N} write on a standalone node, which has no replica to confirm it.
   *
   * @throws ServerException READ_ONLY_REPLICA or NOT_ENOUGH_REPLICAS
   */
  void checkWritable(AckLevel level) {
    checkWritable();
    if (node.role() == NodeRole.STANDALONE && level.kind() == AckLevel.Kind.REPLICA) {
      throw new ServerException(
          ServerException.Reason.NOT_ENOUGH_REPLICAS,
          "this node is standalone: no replica can acknowledge a write at level "
              + level
              + "; nothing was written");
    }
    int min = options.minReplicasToWrite();
    if (min > 0) {
      int connected = node.primary().connectedReplicas();
      if (connected < min) {
        throw new ServerException(
            ServerException.Reason.NOT_ENOUGH_REPLICAS,
            "writes are refused: "
                + connected
                + " replica(s) connected, --min-replicas-to-write is "
                + min
                + "; nothing was written");
      }
    }
  }

  /**
   * Why a write acknowledged at once ({@code async}) must be answered with an error after all: a
   * coordinated primary's lease lapsed while it was made. Null if it may be acknowledged.
   */
  String acknowledgementRefusal() {
    CoordinatedNode c = coordinated;
    return c == null ? null : c.acknowledgementRefusal();
  }

  /** Whether a primary refuses writes now for lack of connected replicas. */
  boolean writesRefused() {
    Primary primary = node.primary();
    CoordinatedNode c = coordinated;
    return node.role() == NodeRole.REPLICA
        || (c != null && c.writeRefusal() != null)
        || (primary != null && primary.supersededBy() != null)
        || (primary != null
            && options.minReplicasToWrite() > 0
            && primary.connectedReplicas() < options.minReplicasToWrite());
  }

  /**
   * The acknowledgement level of a write: the request's {@code kevo-ack} if it sent one, else the
   * server default.
   *
   * @throws ServerException BAD_REQUEST for a malformed {@code kevo-ack}
   */
  AckLevel ackLevel(CallState call) {
    String asked = call.ack();
    if (asked == null) {
      return options.replicationAck();
    }
    try {
      return AckLevel.parse(asked);
    } catch (IllegalArgumentException e) {
      throw new ServerException(ServerException.Reason.BAD_REQUEST, "kevo-ack: " + e.getMessage());
    }
  }

  /**
   * Completes when the write at {@code sequence} meets {@code level} or after {@code timeoutNanos}
   * (never exceptionally); at once for {@code async} and on a node without a primary role.
   */
  CompletableFuture<AckResult> awaitAcks(long sequence, AckLevel level, long timeoutNanos) {
    Primary primary = node.primary();
    if (primary == null || !level.waits()) {
      return CompletableFuture.completedFuture(new AckResult(sequence, true, 0, 0));
    }
    return primary.awaitAcknowledged(sequence, level, Duration.ofNanos(timeoutNanos));
  }

  /**
   * On a primary that reads only confirmed writes ({@link Primary#readsOnlyConfirmed()}), a read at
   * read-your-writes {@code token} beyond the confirmed sequence must wait until a replica has
   * confirmed it: read there at once, it would show writes that a failover can take back, and a
   * later read without the token (or by another client) would read below it, back in time. Returns
   * the wait (completed when a replica confirmed {@code token}, or after {@code timeoutNanos} with
   * {@link AckResult#confirmed()} false; never exceptionally), or null when the read need not wait.
   */
  CompletableFuture<AckResult> awaitReadable(long token, long timeoutNanos) {
    Primary p = node.primary();
    if (p == null || !p.readsOnlyConfirmed() || p.confirmedSequence() >= token) {
      return null;
    }
    return p.awaitAcknowledged(token, AckLevel.replica(1), Duration.ofNanos(timeoutNanos));
  }

  /** The highest sequence a replica confirmed to this primary; 0 on a node that is none. */
  long confirmedSequence() {
    Primary p = node.primary();
    return p == null ? 0 : p.confirmedSequence();
  }

  /**
   * The epoch reported with every write ({@code kevo-epoch}): this node's current epoch (a
   * replica's is its primary's), 0 before it has any.
   */
  long epoch() {
    EpochHistory h = node.epochs();
    return h == null ? 0 : h.currentEpoch();
  }
}
