package io.kevo.replication.replica;

import io.kevo.replication.BootstrapProgress;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.ReplicationException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Replica} reports about itself: its cumulative counters, its positions and its
 * health (last error, the primary's refusal, the session), and {@link #status} that assembles them
 * into a {@link ReplicaStatus}.
 *
 * <p>Thread-safety: written by the replica's apply thread only (the classes it runs write here as
 * they go); read by any thread. Each field is atomic or volatile on its own; a status reads them
 * one by one, so it is consistent enough for humans, not a snapshot.
 */
final class ReplicaCounters {
  final AtomicLong wireBytes = new AtomicLong();
  final AtomicLong uncompressedBytes = new AtomicLong();
  final AtomicLong entriesApplied = new AtomicLong();
  final AtomicLong batchesApplied = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong nacksSent = new AtomicLong();
  final AtomicLong acksSent = new AtomicLong();
  final AtomicLong checksumFailures = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
  final AtomicLong bootstrapsCompleted = new AtomicLong();

  /** Lag in entries and in time (its own lock). */
  final ReplicaLag lag = new ReplicaLag();

  volatile long lastApplied;
  volatile long durable;
  volatile long acked;
  volatile String lastError;
  volatile Reason refusal;
  volatile String sessionId;
  volatile Instant connectedSince;
  volatile BootstrapProgress bootstrap;

  /**
   * @param lastApplied the local database's last sequence when the replica was created
   * @param durable the local database's durable sequence then
   */
  ReplicaCounters(long lastApplied, long durable) {
    this.lastApplied = lastApplied;
    this.durable = durable;
    lag.onApplied(lastApplied);
  }

  /** Records that everything up to {@code sequence} was applied (and is visible to reads). */
  void applied(long sequence) {
    lastApplied = sequence;
    lag.onApplied(sequence);
  }

  /** A stream delivered a message: the primary's latest refusal no longer holds. */
  void delivered() {
    refusal = null;
  }

  /** The current stream went away: no session any more. */
  void disconnected() {
    sessionId = null;
    connectedSince = null;
  }

  /** A bootstrap installed a snapshot: earlier failures and refusals no longer hold. */
  void recovered() {
    lastError = null;
    refusal = null;
  }

  /**
   * A stream or a bootstrap failed: {@code message} for humans, {@code refusal} if the primary's.
   */
  void failed(String message, Reason refusal) {
    lastError = message;
    this.refusal = refusal;
  }

  /**
   * The status at {@code now}.
   *
   * @param running whether the replica's thread runs and it was not stopped
   */
  ReplicaStatus status(
      String replicaId, ReplicaStateMachine machine, boolean running, Instant now) {
    return new ReplicaStatus(
        replicaId,
        machine.current(),
        running,
        Duration.between(machine.enteredAt(), now),
        machine.transitionCount(),
        lastApplied,
        durable,
        acked,
        lag.primaryLastSequence(),
        lag.lagEntries(),
        lag.lagMillis(now.toEpochMilli()),
        wireBytes.get(),
        uncompressedBytes.get(),
        entriesApplied.get(),
        batchesApplied.get(),
        duplicates.get(),
        nacksSent.get(),
        acksSent.get(),
        checksumFailures.get(),
        malformed.get(),
        reconnects.get(),
        lastError,
        refusal,
        sessionId,
        connectedSince,
        bootstrap,
        bootstrapsCompleted.get());
  }
}
