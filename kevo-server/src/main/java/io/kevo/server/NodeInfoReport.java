package io.kevo.server;

import io.kevo.engine.KevoDB;
import io.kevo.engine.WriteRefusal;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.ReplicaInfo;
import io.kevo.replication.BootstrapProgress;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.PrimaryStatus;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.SnapshotTransferStatus;
import io.kevo.replication.primary.Primary;
import io.kevo.replication.replica.Replica;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaLink;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Builds a node's {@code GetNodeInfo} answer: role, primary address, last sequence, whether it is
 * read-only, version, the replicas a primary lists, and the node's own replication figures as a
 * {@link ReplicationStatus} (whose javadoc names every key) encoded into the {@code replication}
 * map. Stateless over the node's parts; thread-safe (each call reads the current state once).
 *
 * <p>{@code read_only} is true on a replica and while the engine refuses writes ({@link
 * KevoDB#writeRefusal()}, a full disk say), which also fills the status's write refusal.
 */
final class NodeInfoReport {
  private final KevoDB db;
  private final ServerOptions options;
  private final NodeReplication replication;
  private final String version;

  NodeInfoReport(KevoDB db, ServerOptions options, NodeReplication replication, String version) {
    this.db = db;
    this.options = options;
    this.replication = replication;
    this.version = version;
  }

  /** The answer to {@code GetNodeInfo} as of now. */
  GetNodeInfoResponse build() {
    Optional<WriteRefusal> refusal = db.writeRefusal();
    GetNodeInfoResponse.Builder b =
        GetNodeInfoResponse.newBuilder()
            .setLastSequence(db.latestSequence())
            .setReadOnly(refusal.isPresent())
            .setVersion(version);
    EpochHistory h = replication.epochs();
    Optional<ReplicationStatus.Epoch> epoch =
        h == null || h.last() == null
            ? Optional.empty()
            : Optional.of(
                new ReplicationStatus.Epoch(
                    h.currentEpoch(),
                    Optional.of(h.last().termId()),
                    some(h.last().startSequence())));
    Optional<ReplicationStatus.WriteRefusal> writeRefusal =
        refusal.map(
            r ->
                new ReplicationStatus.WriteRefusal(
                    r.reason(), Optional.of(r.code().name()), Optional.of(r.since().toString())));
    Optional<String> superseded = Optional.empty();
    Optional<PrimarySide> primarySide = Optional.empty();
    Optional<ReplicaSide> replicaSide = Optional.empty();
    Primary primary = replication.primary();
    NodeRole role = primary != null ? NodeRole.PRIMARY : replication.role();
    String primaryAddress = replication.primaryAddress();
    switch (role) {
      case STANDALONE -> b.setNodeRole(GetNodeInfoResponse.NodeRole.STANDALONE);
      case PRIMARY -> {
        superseded = Optional.ofNullable(primary.supersededBy());
        b.setNodeRole(GetNodeInfoResponse.NodeRole.PRIMARY);
        if (primaryAddress != null) {
          b.setPrimaryAddress(primaryAddress);
        }
        PrimaryStatus s = primary.status();
        for (PrimaryStatus.Replica r : s.replicas()) {
          // A learner belongs to another shard (a split): clients must not read this shard there.
          if (!r.learner()) {
            b.addReplicas(replicaInfo(r));
          }
        }
        primarySide = Optional.of(primarySide(primary, s));
      }
      case REPLICA -> {
        b.setNodeRole(GetNodeInfoResponse.NodeRole.REPLICA).setReadOnly(true);
        if (primaryAddress != null) {
          b.setPrimaryAddress(primaryAddress);
        }
        Replica replica = replication.replica();
        if (replica != null) {
          replicaSide = Optional.of(replicaSide(replica, replication.readWaits()));
        }
      }
    }
    ReplicationStatus status =
        new ReplicationStatus(epoch, writeRefusal, superseded, primarySide, replicaSide);
    return b.putAllReplication(status.toMap()).build();
  }

  private PrimarySide primarySide(Primary primary, PrimaryStatus s) {
    int connected = primary.connectedReplicas();
    int min = options.minReplicasToWrite();
    Primary.AckWaitStats a = primary.ackWaitStats();
    boolean confirmedOnly = primary.readsOnlyConfirmed();
    String readRefusal = primary.readRefusal();
    SnapshotTransferStatus ts = primary.snapshotTransfers();
    return new PrimarySide(
        some(s.activeSessions()),
        some(s.firstRetainedSequence()),
        some(s.durableSequence()),
        some(s.bytesSentRaw()),
        some(s.bytesSentWire()),
        OptionalDouble.of(s.compressionRatio()),
        some(s.entriesSent()),
        some(s.responsesSent()),
        some(s.heartbeatsSent()),
        some(s.resends()),
        some(s.sessionsTimedOut()),
        some(s.streamsRefused()),
        some(s.holdsDropped()),
        Optional.of(options.replicationAck()),
        some(options.replicationAckTimeout().toMillis()),
        some(min),
        some(connected),
        Optional.of(min > 0 && connected < min),
        some(a.waits()),
        some(a.confirmed()),
        some(a.notConfirmed()),
        some(a.pending()),
        Optional.of(confirmedOnly),
        confirmedOnly ? some(primary.confirmedSequence()) : OptionalLong.empty(),
        confirmedOnly ? some(db.readSequence()) : OptionalLong.empty(),
        Optional.of(readRefusal != null),
        Optional.ofNullable(readRefusal),
        some(ts.active()),
        some(ts.completed()),
        some(ts.failed()),
        some(ts.refused()),
        some(ts.bytesSent()));
  }

  private ReplicaSide replicaSide(Replica replica, AppliedWaiters w) {
    ReplicaStatus s = replica.status();
    BootstrapProgress bp = s.bootstrap();
    Optional<ReplicaSide.Bootstrap> bootstrap =
        bp == null
            ? Optional.empty()
            : Optional.of(
                new ReplicaSide.Bootstrap(
                    Optional.of(bp.snapshotId()),
                    some(bp.sequence()),
                    some(bp.bytesDone()),
                    some(bp.bytesTotal()),
                    some(bp.filesDone()),
                    some(bp.filesTotal()),
                    some(bp.elapsedMillis()),
                    some(bp.bytesPerSecond()),
                    some(bp.etaMillis())));
    return new ReplicaSide(
        Optional.of(s.replicaId()),
        Optional.of(replica.getStateString()),
        some(s.timeInState().toMillis()),
        some(s.lastAppliedSequence()),
        some(s.durableSequence()),
        some(s.ackedSequence()),
        some(s.primaryLastSequence()),
        some(s.lagEntries()),
        some(s.lagMillis()),
        some(s.wireBytesReceived()),
        some(s.uncompressedBytesReceived()),
        some(s.entriesApplied()),
        some(s.batchesApplied()),
        some(s.nacksSent()),
        some(s.checksumFailures()),
        some(s.reconnects()),
        Optional.of(s.needsBootstrap()),
        some(s.bootstrapsCompleted()),
        Optional.ofNullable(s.lastError()),
        Optional.ofNullable(s.refusal()).map(Enum::name),
        some(options.readWaitTimeout().toMillis()),
        w == null ? OptionalLong.empty() : some(w.waits.sum()),
        w == null ? OptionalLong.empty() : some(w.timeouts.sum()),
        w == null ? OptionalLong.empty() : some(w.pending()),
        bootstrap);
  }

  private static ReplicaInfo replicaInfo(PrimaryStatus.Replica r) {
    ReplicaLink link =
        new ReplicaLink(
            Optional.of(r.replicaId()),
            some(r.lagEntries()),
            some(r.lagMillis()),
            some(r.bytesSentRaw()),
            some(r.bytesSentWire()),
            OptionalDouble.of(r.compressionRatio()),
            some(r.entriesSent()),
            some(r.resends()),
            some(r.connectCount()),
            some(r.heldFromSequence()),
            Optional.of(r.holdDropped()));
    return ReplicaInfo.newBuilder()
        .setAddress(r.clientAddress())
        .setLastSequence(r.lastAckedSequence())
        .setAvailable(r.connected())
        .putAllMeta(link.toMap())
        .build();
  }

  private static OptionalLong some(long v) {
    return OptionalLong.of(v);
  }
}
