package io.kevo.server;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.SnapshotTransferStatus;
import io.kevo.replication.StatusMapping;
import io.kevo.replication.snapshot.SnapshotTransfers;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One-shot snapshots of a standalone node, for {@code kevo backup}: {@code FetchSnapshot} without a
 * replica id is served as a primary serves it (a checkpoint, pinned only while it is sent, with the
 * node's epoch history), through {@link SnapshotTransfers} with its limit on concurrent transfers
 * and its stall timeout; nothing is held after a transfer. A request naming a replica is refused
 * {@code NOT_PRIMARY}: a standalone node serves no replicas, and every other replication method is
 * refused by {@link ReplicationEndpoint} as on any node that is not a primary.
 *
 * <p>Thread-safe.
 */
final class StandaloneSnapshots implements AutoCloseable {
  private final SnapshotTransfers transfers;
  private final ScheduledFuture<?> expiry;

  /**
   * @param timer checks once a second for transfers whose reader stopped reading for the options'
   *     session timeout
   */
  StandaloneSnapshots(
      KevoDB db, PrimaryOptions options, EpochHistory epochs, ScheduledExecutorService timer) {
    this.transfers =
        new SnapshotTransfers(
            db,
            options,
            (replicaId, address, sequence, hold, protectUntil) -> hold.close(),
            db::latestSequence,
            epochs);
    long stalledMillis = options.sessionTimeout().toMillis();
    this.expiry =
        timer.scheduleWithFixedDelay(
            () -> transfers.expireStalled(stalledMillis), 1, 1, TimeUnit.SECONDS);
  }

  /** The service that answers {@code FetchSnapshot} (and only it) on a standalone node. */
  ServerServiceDefinition service() {
    return new WALReplicationServiceGrpc.WALReplicationServiceImplBase() {
      @Override
      public void fetchSnapshot(SnapshotRequest request, StreamObserver<SnapshotChunk> responses) {
        if (!request.getReplicaId().isEmpty()) {
          responses.onError(
              StatusMapping.toStatus(
                  new ReplicationException(
                      ReplicationException.Reason.NOT_PRIMARY,
                      "this node is standalone: it serves snapshots for backups but no replicas;"
                          + " start it with --role primary to replicate from it")));
          return;
        }
        try {
          transfers.fetch(request, responses);
        } catch (RuntimeException e) {
          responses.onError(StatusMapping.toStatus(e));
        }
      }
    }.bindService();
  }

  /** The transfers running and their counts. */
  SnapshotTransferStatus status() {
    return transfers.status();
  }

  /** Ends every transfer ({@code UNAVAILABLE}). Idempotent. */
  @Override
  public void close() {
    expiry.cancel(false);
    transfers.close();
  }
}
