package io.kevo.replication.replica;

import static io.kevo.replication.ReplicaState.BOOTSTRAPPING;
import static io.kevo.replication.ReplicaState.CONNECTING;
import static io.kevo.replication.ReplicaState.ERROR;

import io.grpc.Channel;
import io.kevo.engine.KevoDB;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicationException.Reason;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one bootstrap attempt of a replica ({@link
 * io.kevo.replication.ReplicaState#BOOTSTRAPPING}): fetches and installs a snapshot of the primary
 * ({@link SnapshotFetch}), publishes its progress while it runs, and once installed resets what the
 * replica knows (applied and durable positions, epoch history, failures, refusal) so that it
 * streams from the snapshot's sequence + 1.
 *
 * <p>Not thread-safe: owned by the replica's apply thread.
 */
final class ReplicaBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaBootstrap.class);

  private final KevoDB db;
  private final ReplicaOptions options;
  private final String replicaId;
  private final ReplicaStateMachine machine;
  private final ReplicaConnection connection;
  private final ReplicaCounters counters;
  private final ReplicaEpochs epochs;
  private final BooleanSupplier stopping;

  ReplicaBootstrap(
      KevoDB db,
      ReplicaOptions options,
      String replicaId,
      ReplicaStateMachine machine,
      ReplicaConnection connection,
      ReplicaCounters counters,
      ReplicaEpochs epochs,
      BooleanSupplier stopping) {
    this.db = db;
    this.options = options;
    this.replicaId = replicaId;
    this.machine = machine;
    this.connection = connection;
    this.counters = counters;
    this.epochs = epochs;
    this.stopping = stopping;
  }

  /**
   * Fetches and installs a snapshot of the primary, from {@link
   * io.kevo.replication.ReplicaState#ERROR}.
   *
   * @param cause why the stream ended (returned as is if the replica stops meanwhile)
   * @return null once installed (the machine is then in CONNECTING), else why it failed (the
   *     machine is in ERROR)
   */
  ReplicaStreamEnded run(ReplicaStreamEnded cause) {
    machine.transition(BOOTSTRAPPING, "fetching a snapshot of the primary");
    try {
      Channel ch = connection.newChannel();
      SnapshotFetch fetch =
          new SnapshotFetch(
              db,
              options,
              replicaId,
              stopping,
              p -> counters.bootstrap = p,
              counters.checksumFailures::incrementAndGet);
      long s = fetch.run(ch);
      if (s < 0) {
        machine.transition(ERROR, "replica stopping during the bootstrap");
        return cause;
      }
      epochs.bootstrapped(fetch.epochs());
      counters.bootstrapsCompleted.incrementAndGet();
      counters.applied(s);
      counters.durable = db.wal().durableSequence();
      connection.delivered();
      counters.recovered();
      machine.transition(
          CONNECTING, "bootstrapped at sequence " + s + "; streaming from " + (s + 1));
      return null;
    } catch (ReplicaStreamEnded e) {
      connection.failed();
      counters.failed(e.getMessage(), e.refusal);
      LOG.warn("replica {}: {}", replicaId, e.getMessage());
      machine.transition(ERROR, e.getMessage());
      return e;
    } catch (RuntimeException e) {
      ReplicaStreamEnded ended =
          new ReplicaStreamEnded("bootstrap failed: " + e, Reason.POSITION_NOT_RETAINED, false, e);
      connection.failed();
      counters.lastError = ended.getMessage();
      LOG.warn("replica {}: {}", replicaId, ended.getMessage(), e);
      machine.transition(ERROR, ended.getMessage());
      return ended;
    } finally {
      counters.bootstrap = null;
    }
  }
}
