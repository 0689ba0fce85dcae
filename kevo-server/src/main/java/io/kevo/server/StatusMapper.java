package io.kevo.server;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.kevo.engine.KevoException;
import io.kevo.replication.EngineStatus;
import io.kevo.wire.WireMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become gRPC statuses. Known cases never map to {@code UNKNOWN}; the
 * status description is the engine's (or the server's) message.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>failure</th><th>status</th></tr>
 *   <tr><td>engine INVALID_ARGUMENT (empty, null or oversized key or value)</td>
 *       <td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>engine TRANSACTION_TOO_LARGE</td><td>RESOURCE_EXHAUSTED (a server-side buffer limit,
 *       like the cap on transactions; retrying the same transaction cannot succeed)</td></tr>
 *   <tr><td>engine CONFLICT</td><td>ABORTED (run the transaction again), with {@code
 *       kevo-tx-abort: conflict}</td></tr>
 *   <tr><td>engine LOCK_TIMEOUT (a pessimistic transaction waited longer than its lock timeout for
 *       a key another transaction holds; rolled back)</td><td>ABORTED, with {@code kevo-tx-abort:
 *       lock-timeout} and a description that names the key ("lock wait timeout on key ...")</td></tr>
 *   <tr><td>engine DEADLOCK (a pessimistic transaction would have closed a cycle of waiting
 *       transactions; rolled back)</td><td>ABORTED, with {@code kevo-tx-abort: deadlock} and a
 *       description of the cycle</td></tr>
 *   <tr><td>engine CLOSED</td><td>UNAVAILABLE (the node is shutting down)</td></tr>
 *   <tr><td>engine WRITES_REFUSED (a failure the engine does not recover from by itself; nothing
 *       written)</td><td>UNAVAILABLE, with the failure that caused it</td></tr>
 *   <tr><td>engine NO_SPACE (the disk is full; nothing written; the node resumes writes by itself
 *       once space is freed)</td><td>UNAVAILABLE: the write is safe to send again, later or to
 *       another node; not RESOURCE_EXHAUSTED, which clients read as "this request is too
 *       big"</td></tr>
 *   <tr><td>engine OUTCOME_UNKNOWN (the log failed while this write was being written: it may or
 *       may not be there)</td><td>UNAVAILABLE, with a description that says the outcome is
 *       unknown: redoing is the client's call (safe for a put of the same value, not for a
 *       read-modify-write)</td></tr>
 *   <tr><td>engine IO_ERROR</td><td>UNAVAILABLE (the node's storage failed)</td></tr>
 *   <tr><td>engine UNAVAILABLE</td><td>UNAVAILABLE (a replica installing a snapshot)</td></tr>
 *   <tr><td>engine CORRUPTION</td><td>DATA_LOSS</td></tr>
 *   <tr><td>engine LOCKED</td><td>FAILED_PRECONDITION</td></tr>
 *   <tr><td>server BAD_REQUEST (a malformed request, such as an empty transaction id)</td>
 *       <td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>server UNKNOWN_TRANSACTION (never issued, ended or expired)</td><td>NOT_FOUND</td></tr>
 *   <tr><td>server TOO_MANY_TRANSACTIONS</td><td>RESOURCE_EXHAUSTED</td></tr>
 *   <tr><td>server SHUTTING_DOWN</td><td>UNAVAILABLE</td></tr>
 *   <tr><td>server READ_ONLY_REPLICA (a write sent to a replica)</td><td>FAILED_PRECONDITION, with
 *       the primary's client address in the {@code kevo-primary} trailer</td></tr>
 *   <tr><td>server NOT_ENOUGH_REPLICAS (fewer replicas connected than {@code
 *       --min-replicas-to-write}, or {@code replica:N} asked of a node without replicas; nothing
 *       written)</td><td>FAILED_PRECONDITION (not UNAVAILABLE: the node is up and serves reads, and
 *       clients must not retry a write blindly or mark the primary down)</td></tr>
 *   <tr><td>server SUPERSEDED (a write sent to a primary that learnt another node was promoted to
 *       a newer epoch; nothing written)</td><td>FAILED_PRECONDITION</td></tr>
 *   <tr><td>server ACK_TIMEOUT (a write committed on the primary, not confirmed by its
 *       acknowledgement level in time)</td><td>DEADLINE_EXCEEDED, with {@code kevo-sequence},
 *       {@code kevo-epoch} and {@code kevo-ack-replicas} trailers</td></tr>
 *   <tr><td>server REPLICA_BEHIND (a replica has not applied a read's {@code
 *       kevo-min-sequence})</td><td>UNAVAILABLE, with the replica's applied sequence in the {@code
 *       kevo-applied-sequence} trailer (read from the primary)</td></tr>
 *   <tr><td>server READS_UNCONFIRMED (a read sent to a primary that opened at an acknowledgement
 *       level other than {@code async} and no replica has yet confirmed its last sequence at
 *       open)</td><td>UNAVAILABLE, saying up to which sequence it waits (retry later, or read a
 *       replica)</td></tr>
 *   <tr><td>server NO_PRIMARY (automatic failover: a write sent while the cluster has no
 *       primary, or to a primary whose coordinator session or lease is not live; nothing
 *       written)</td><td>UNAVAILABLE, saying why (retry: a primary is being elected)</td></tr>
 *   <tr><td>server WRONG_SHARD (a sharded cluster: a key outside this node's shard, or a node
 *       that serves no shard)</td><td>FAILED_PRECONDITION, with the owning shard in {@code
 *       kevo-shard} and the map's version in {@code kevo-shard-map-version}</td></tr>
 *   <tr><td>server SHARD_MAP_UNKNOWN (a node of a shard that has not read the shard map
 *       yet)</td><td>UNAVAILABLE (retry)</td></tr>
 *   <tr><td>engine SEQUENCE_MISMATCH (replication applying out of order)</td>
 *       <td>FAILED_PRECONDITION</td></tr>
 *   <tr><td>a gRPC status exception</td><td>unchanged</td></tr>
 *   <tr><td>anything else (a bug)</td><td>INTERNAL, logged at ERROR</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 */
final class StatusMapper {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMapper.class);

  private StatusMapper() {}

  /** The status {@code failure} is reported with. Never {@code UNKNOWN}. */
  static Status toStatus(Throwable failure) {
    if (failure instanceof StatusRuntimeException e) {
      return e.getStatus();
    }
    if (failure instanceof StatusException e) {
      return e.getStatus();
    }
    if (failure instanceof KevoException e) {
      return EngineStatus.of(e);
    }
    if (failure instanceof ServerException e) {
      return serverStatus(e.reason()).withDescription(e.getMessage());
    }
    LOG.error("unexpected failure serving a request", failure);
    return Status.INTERNAL.withDescription("internal error: " + failure).withCause(failure);
  }

  /** {@link #toStatus} as an exception to pass to {@code StreamObserver.onError}. */
  static StatusRuntimeException toException(Throwable failure) {
    if (failure instanceof ServerException e && e.primaryAddress() != null) {
      Metadata trailers = new Metadata();
      trailers.put(WireMetadata.PRIMARY, e.primaryAddress());
      return toStatus(failure).asRuntimeException(trailers);
    }
    if (failure instanceof ServerException e && e.shardMapVersion() >= 0) {
      Metadata trailers = new Metadata();
      if (e.shardOwner() != null) {
        trailers.put(WireMetadata.SHARD, e.shardOwner());
      }
      trailers.put(WireMetadata.SHARD_MAP_VERSION, Long.toString(e.shardMapVersion()));
      return toStatus(failure).asRuntimeException(trailers);
    }
    if (failure instanceof ServerException e && e.appliedSequence() >= 0) {
      Metadata trailers = new Metadata();
      trailers.put(WireMetadata.APPLIED_SEQUENCE, Long.toString(e.appliedSequence()));
      return toStatus(failure).asRuntimeException(trailers);
    }
    if (failure instanceof KevoException e && abortReason(e) != null) {
      Metadata trailers = new Metadata();
      trailers.put(WireMetadata.TX_ABORT, abortReason(e));
      return toStatus(failure).asRuntimeException(trailers);
    }
    return toStatus(failure).asRuntimeException();
  }

  /** The {@code kevo-tx-abort} value for an aborted transaction, else null. */
  static String abortReason(KevoException e) {
    return switch (e.code()) {
      case CONFLICT -> "conflict";
      case LOCK_TIMEOUT -> "lock-timeout";
      case DEADLOCK -> "deadlock";
      default -> null;
    };
  }

  private static Status serverStatus(ServerException.Reason reason) {
    return switch (reason) {
      case BAD_REQUEST -> Status.INVALID_ARGUMENT;
      case UNKNOWN_TRANSACTION -> Status.NOT_FOUND;
      case TOO_MANY_TRANSACTIONS -> Status.RESOURCE_EXHAUSTED;
      case SHUTTING_DOWN -> Status.UNAVAILABLE;
      case READ_ONLY_REPLICA, NOT_ENOUGH_REPLICAS, SUPERSEDED, WRONG_SHARD ->
          Status.FAILED_PRECONDITION;
      case ACK_TIMEOUT -> Status.DEADLINE_EXCEEDED;
      case REPLICA_BEHIND, READS_UNCONFIRMED, NO_PRIMARY, SHARD_MAP_UNKNOWN -> Status.UNAVAILABLE;
    };
  }
}
