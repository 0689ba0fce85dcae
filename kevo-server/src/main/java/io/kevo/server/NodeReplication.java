package io.kevo.server;

import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kevo.engine.KevoDB;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.ReplicaInfo;
import io.kevo.proto.replication.PromoteResponse;
import io.kevo.proto.replication.RepointResponse;
import io.kevo.replication.AckResult;
import io.kevo.replication.BootstrapProgress;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.PrimaryStatus;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicaStatus;
import io.kevo.replication.SnapshotTransferStatus;
import io.kevo.replication.primary.Primary;
import io.kevo.replication.replica.Replica;
import io.kevo.wire.AckLevel;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's replication at run time: nothing for a standalone node, a {@link Primary} serving {@code
 * WALReplicationService} for a primary, a {@link Replica} following its primary for a replica.
 * Decides whether client writes are allowed and fills the replication part of {@code GetNodeInfo}.
 * Thread-safe.
 *
 * <p>{@code GetNodeInfo.replication} names (all values decimal strings unless stated): for a
 * primary {@code sessions}, {@code first_retained_sequence}, {@code durable_sequence}, {@code
 * bytes_sent_raw}, {@code bytes_sent_wire}, {@code compression_ratio} (wire/raw), {@code
 * entries_sent}, {@code responses_sent} (messages with entries, heartbeats not counted), {@code
 * heartbeats_sent}, {@code resends}, {@code sessions_timed_out}, {@code streams_refused}, {@code
 * holds_dropped}; for a replica {@code replica_id}, {@code state}, {@code state_ms} (time in
 * state), {@code applied_sequence}, {@code durable_sequence}, {@code acked_sequence}, {@code
 * primary_last_sequence}, {@code lag_entries}, {@code lag_ms} (-1 unknown), {@code
 * bytes_received_wire}, {@code bytes_received_raw}, {@code entries_applied}, {@code
 * batches_applied}, {@code nacks_sent}, {@code checksum_failures}, {@code reconnects}, {@code
 * needs_bootstrap} ({@code true}/{@code false}), {@code bootstraps_completed}, {@code last_error}
 * and {@code refusal} when set, and while a bootstrap runs {@code bootstrap_snapshot}, {@code
 * bootstrap_sequence} (-1 until known), {@code bootstrap_bytes_done}, {@code
 * bootstrap_bytes_total}, {@code bootstrap_files_done}, {@code bootstrap_files_total}, {@code
 * bootstrap_elapsed_ms}, {@code bootstrap_rate_bytes_per_s} and {@code bootstrap_eta_ms} (-1
 * unknown). A primary also reports {@code bootstraps_active}, {@code bootstraps_completed}, {@code
 * bootstraps_failed}, {@code bootstraps_refused} and {@code bootstrap_bytes_sent}. Each replica a
 * primary lists carries in {@code meta}: {@code replica_id}, {@code lag_entries}, {@code lag_ms},
 * {@code bytes_sent_raw}, {@code bytes_sent_wire}, {@code compression_ratio}, {@code entries_sent},
 * {@code resends}, {@code connects}, {@code held_from} (-1 none) and {@code hold_dropped}.
 *
 * <p>Acknowledgement levels and read-your-writes (see {@link io.kevo.wire.WireMetadata}): a primary
 * also reports {@code ack_level}, {@code ack_timeout_ms}, {@code min_replicas_to_write}, {@code
 * connected_replicas}, {@code writes_refused} ({@code true} while fewer replicas than the minimum
 * are connected), {@code ack_waits}, {@code ack_confirmed}, {@code ack_not_confirmed} and {@code
 * ack_pending}, {@code reads_confirmed_only} ({@code true} at a level other than {@code async}:
 * client reads see only what a replica acknowledged), then {@code confirmed_sequence} (the highest
 * sequence a replica acknowledged to this primary since it opened) and {@code read_sequence} (where
 * reads without a token read now), {@code reads_refused} (while no replica has confirmed the last
 * sequence at open) and {@code read_refusal} (why, when refused); a replica {@code
 * read_wait_timeout_ms}, {@code read_waits}, {@code read_wait_timeouts} and {@code
 * read_waits_pending}.
 */
final class NodeReplication implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReplication.class);

  private final KevoDB db;
  private final ServerOptions options;
  private final ScheduledExecutorService timer;
  private final Executor background;

  /** Serialises role changes (promote, repoint) with each other and with close. */
  private final Object switching = new Object();

  private volatile NodeRole role;
  private volatile Primary primary;
  private volatile EpochHistory standaloneEpochs;
  private volatile AppliedWaiters readWaits;
  private volatile Replica replica;
  private volatile ManagedChannel channel;
  private volatile String primaryAddress;
  private volatile String selfAddress;
  private boolean closed; // guarded by switching

  private NodeReplication(
      NodeRole role,
      KevoDB db,
      ServerOptions options,
      Primary primary,
      EpochHistory standaloneEpochs,
      ScheduledExecutorService timer,
      Executor background) {
    this.timer = timer;
    this.background = background;
    this.role = role;
    this.db = db;
    this.options = options;
    this.primary = primary;
    this.standaloneEpochs = standaloneEpochs;
    this.primaryAddress = options.primaryAddress();
  }

  /**
   * Sets up {@code options.role()} on {@code db}: a primary starts serving replication at once (add
   * {@link #service()} to the gRPC server); a replica starts following its primary in {@link
   * #start}, once the node's own address is known.
   *
   * @param timer runs the timeouts of reads waiting on a replica
   * @param background runs the reads released by the replica's progress
   */
  static NodeReplication create(
      KevoDB db, ServerOptions options, ScheduledExecutorService timer, Executor background) {
    Primary primary = null;
    if (options.role() == NodeRole.PRIMARY) {
      if (!db.options().holdWalAtOpen()) {
        LOG.warn(
            "the primary's database was opened without holdWalAtOpen: WAL kept for lagging"
                + " replicas before this start may already be gone");
      }
      primary = Primary.open(db, primaryOptions(options));
    }
    // A standalone node writes in terms too: should it later follow a primary, or be started as
    // one, its entries' terms tell whether they belong to the other's history.
    EpochHistory standalone =
        options.role() == NodeRole.STANDALONE ? Primary.beginTerm(db, false) : null;
    return new NodeReplication(options.role(), db, options, primary, standalone, timer, background);
  }

  /**
   * Called once the node serves clients at {@code selfAddress} (its client address as others reach
   * it): a primary names itself with it; a replica reports it to its primary and starts.
   */
  void start(String selfAddress) {
    this.selfAddress = selfAddress;
    switch (role) {
      case STANDALONE -> {}
      case PRIMARY -> primaryAddress = selfAddress;
      case REPLICA -> follow(options.primaryAddress());
    }
  }

  /** Starts a replica following {@code address} (the fields name it once it runs). */
  private void follow(String address) {
    ManagedChannel ch =
        NettyChannelBuilder.forTarget(address)
            .usePlaintext()
            .maxInboundMessageSize(Integer.MAX_VALUE)
            // Every callback of the replica's calls only enqueues for its apply thread (never
            // blocks): running them on the event loop saves a hand-off to gRPC's executor per
            // message.
            .directExecutor()
            .build();
    ReplicaOptions ro = options.replicaOptions().toBuilder().listenerAddress(selfAddress).build();
    Replica r;
    try {
      r = new Replica(db, () -> ch, ro);
    } catch (RuntimeException e) {
      ch.shutdownNow();
      throw e;
    }
    AppliedWaiters waits = new AppliedWaiters(r::getLastAppliedSequence, timer, background);
    r.addAppliedListener(waits::applied);
    readWaits = waits;
    channel = ch;
    replica = r;
    primaryAddress = address;
    r.start();
    LOG.info("replica {} following primary {}", r.replicaId(), address);
  }

  /** Stops following the primary: the replica syncs and acknowledges what it applied. */
  private void unfollow() {
    Replica r = replica;
    ManagedChannel ch = channel;
    if (r != null) {
      r.stop();
    }
    if (ch != null) {
      ch.shutdownNow();
    }
  }

  /**
   * Makes this replica a primary with a new epoch ({@code kevo promote}): stops following (what was
   * applied is synced), begins a term with the highest epoch seen + 1 from the next sequence, and
   * serves replication and client writes. A primary answers with its current term. Not persisted as
   * a role: start the node with {@code --role primary} from then on (its epoch history is kept).
   *
   * @throws ServerException BAD_REQUEST on a standalone node or a closed one
   */
  PromoteResponse promote() {
    synchronized (switching) {
      checkOpen();
      NodeRole r = role;
      if (r == NodeRole.PRIMARY) {
        return PromoteResponse.newBuilder()
            .setEpoch(primary.epochs().last().toProto())
            .setAlreadyPrimary(true)
            .setMessage("this node is already the primary (" + primary.epochs().last() + ")")
            .build();
      }
      if (r == NodeRole.STANDALONE) {
        throw new ServerException(
            ServerException.Reason.BAD_REQUEST,
            "this node is standalone, not a replica; to serve replicas, start it with --role"
                + " primary");
      }
      String old = primaryAddress;
      unfollow();
      Primary p;
      try {
        p = Primary.open(db, primaryOptions(options), Primary.beginTerm(db, true));
      } catch (RuntimeException e) {
        LOG.error("promotion failed; following {} again", old, e);
        follow(old);
        throw e;
      }
      readWaits = null;
      replica = null;
      channel = null;
      primary = p;
      primaryAddress = selfAddress;
      role = NodeRole.PRIMARY;
      EpochHistory.Term t = p.epochs().last();
      LOG.warn(
          "promoted to primary (was a replica of {}): {}; start this node with --role primary"
              + " from now on",
          old,
          t);
      return PromoteResponse.newBuilder()
          .setEpoch(t.toProto())
          .setMessage("promoted to primary: " + t)
          .build();
    }
  }

  /**
   * Points this replica at another primary ({@code kevo repoint}); the new primary's epoch history
   * is checked before anything is streamed. Not persisted: after a restart {@code --primary} rules.
   *
   * @throws ServerException BAD_REQUEST if this node is not a replica or the address is malformed
   */
  RepointResponse repoint(String address) {
    synchronized (switching) {
      checkOpen();
      try {
        ServerOptions.HostPort.parse(address);
      } catch (IllegalArgumentException e) {
        throw new ServerException(
            ServerException.Reason.BAD_REQUEST, "primary_address: " + e.getMessage());
      }
      if (role != NodeRole.REPLICA) {
        throw new ServerException(
            ServerException.Reason.BAD_REQUEST,
            "this node is "
                + role.name().toLowerCase(Locale.ROOT)
                + ", not a replica; to make it a replica of "
                + address
                + ", restart it with --role replica --primary "
                + address);
      }
      String old = primaryAddress;
      unfollow();
      follow(address);
      LOG.warn("repointed from primary {} to {}", old, address);
      return RepointResponse.newBuilder()
          .setMessage("following " + address + " (was " + old + ")")
          .build();
    }
  }

  /**
   * The primary's options with the server's default acknowledgement level: other than {@code
   * async}, the primary serves reads of confirmed writes only (see {@link Primary#readRefusal()}).
   */
  private static io.kevo.replication.PrimaryOptions primaryOptions(ServerOptions options) {
    return options.primaryOptions().toBuilder().ackLevel(options.replicationAck()).build();
  }

  /**
   * Refuses a client read on a primary that does not know yet which of its writes a replica holds
   * (after it opened, at an acknowledgement level other than {@code async}): a read of a write no
   * replica has could be taken back by a failover.
   *
   * @throws ServerException READS_UNCONFIRMED saying up to which sequence it waits
   */
  void checkReadable() {
    String why = readRefusal();
    if (why != null) {
      throw new ServerException(ServerException.Reason.READS_UNCONFIRMED, why);
    }
  }

  /** Why client reads are refused now (see {@link #checkReadable()}), or null. */
  String readRefusal() {
    Primary p = primary;
    return p == null ? null : p.readRefusal();
  }

  private void checkOpen() {
    if (closed) {
      throw new ServerException(ServerException.Reason.SHUTTING_DOWN, "the node is closing");
    }
  }

  NodeRole role() {
    return role;
  }

  /**
   * The replication service every node serves on its client port: the primary's while this node is
   * one, else a refusal ({@code NOT_PRIMARY}, naming the primary if known).
   */
  ServerServiceDefinition service() {
    return ReplicationEndpoint.create(
        () -> {
          Primary p = primary;
          return p == null ? null : p.bindableService();
        },
        () -> primaryAddress);
  }

  /** {@code kevo.replication.ReplicationAdmin}: promote and repoint, run on {@code executor}. */
  ServerServiceDefinition adminService() {
    return new AdminService(this, background).bindService();
  }

  /**
   * Refuses a client write on a replica.
   *
   * @throws ServerException {@link ServerException.Reason#READ_ONLY_REPLICA} naming the primary
   */
  void checkWritable() {
    if (role == NodeRole.REPLICA) {
      throw new ServerException(
          ServerException.Reason.READ_ONLY_REPLICA,
          "this node is a read-only replica; send writes to the primary at " + primaryAddress,
          primaryAddress);
    }
    Primary p = primary;
    String superseded = p == null ? null : p.supersededBy();
    if (superseded != null) {
      throw new ServerException(
          ServerException.Reason.SUPERSEDED,
          "this primary has been superseded and refuses writes (nothing was written): "
              + superseded);
    }
  }

  /**
   * The epoch reported with every write ({@code kevo-epoch}): this node's current epoch (a
   * replica's is its primary's), 0 before it has any.
   */
  long epoch() {
    EpochHistory h = epochs();
    return h == null ? 0 : h.currentEpoch();
  }

  /** This node's epoch history, or null (a replica that has not started). */
  EpochHistory epochs() {
    Primary p = primary;
    if (p != null) {
      return p.epochs();
    }
    Replica r = replica;
    if (r != null) {
      return r.epochs();
    }
    return standaloneEpochs;
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
   * Refuses a client write before anything is written: on a replica (naming the primary); on a
   * primary while fewer replicas than {@link ServerOptions#minReplicasToWrite()} are connected; and
   * a {@code replica:N} write on a standalone node, which has no replica to confirm it.
   *
   * @throws ServerException READ_ONLY_REPLICA or NOT_ENOUGH_REPLICAS
   */
  void checkWritable(AckLevel level) {
    checkWritable();
    if (role == NodeRole.STANDALONE && level.kind() == AckLevel.Kind.REPLICA) {
      throw new ServerException(
          ServerException.Reason.NOT_ENOUGH_REPLICAS,
          "this node is standalone: no replica can acknowledge a write at level "
              + level
              + "; nothing was written");
    }
    int min = options.minReplicasToWrite();
    if (min > 0) {
      int connected = primary.connectedReplicas();
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

  /** Whether a primary refuses writes now for lack of connected replicas. */
  boolean writesRefused() {
    Primary primary = this.primary;
    return role == NodeRole.REPLICA
        || (primary != null && primary.supersededBy() != null)
        || (primary != null
            && options.minReplicasToWrite() > 0
            && primary.connectedReplicas() < options.minReplicasToWrite());
  }

  /**
   * Completes when the write at {@code sequence} meets {@code level} or after {@code timeoutNanos}
   * (never exceptionally); at once for {@code async} and on a node without a primary role.
   */
  CompletableFuture<AckResult> awaitAcks(long sequence, AckLevel level, long timeoutNanos) {
    if (primary == null || !level.waits()) {
      return CompletableFuture.completedFuture(new AckResult(sequence, true, 0, 0));
    }
    return primary.awaitAcknowledged(sequence, level, java.time.Duration.ofNanos(timeoutNanos));
  }

  /** A replica's waits for applied sequences; null on other roles (and before start). */
  AppliedWaiters readWaits() {
    return readWaits;
  }

  Primary primary() {
    return primary;
  }

  Replica replica() {
    return replica;
  }

  /** Role, primary address, replicas and this node's replication figures. */
  void fillNodeInfo(GetNodeInfoResponse.Builder b) {
    EpochHistory h = epochs();
    if (h != null && h.last() != null) {
      Map<String, String> m = b.getMutableReplication();
      m.put("epoch", Long.toString(h.currentEpoch()));
      m.put("epoch_term", h.last().termId());
      m.put("epoch_start_sequence", Long.toString(h.last().startSequence()));
    }
    Primary primary = this.primary;
    NodeRole role = primary != null ? NodeRole.PRIMARY : this.role;
    switch (role) {
      case STANDALONE -> b.setNodeRole(GetNodeInfoResponse.NodeRole.STANDALONE);
      case PRIMARY -> {
        if (primary.supersededBy() != null) {
          b.getMutableReplication().put("superseded", primary.supersededBy());
        }
        b.setNodeRole(GetNodeInfoResponse.NodeRole.PRIMARY);
        if (primaryAddress != null) {
          b.setPrimaryAddress(primaryAddress);
        }
        PrimaryStatus s = primary.status();
        for (PrimaryStatus.Replica r : s.replicas()) {
          b.addReplicas(replicaInfo(r));
        }
        Map<String, String> m = b.getMutableReplication();
        m.put("sessions", Integer.toString(s.activeSessions()));
        m.put("first_retained_sequence", Long.toString(s.firstRetainedSequence()));
        m.put("durable_sequence", Long.toString(s.durableSequence()));
        m.put("bytes_sent_raw", Long.toString(s.bytesSentRaw()));
        m.put("bytes_sent_wire", Long.toString(s.bytesSentWire()));
        m.put("compression_ratio", ratio(s.compressionRatio()));
        m.put("entries_sent", Long.toString(s.entriesSent()));
        m.put("responses_sent", Long.toString(s.responsesSent()));
        m.put("heartbeats_sent", Long.toString(s.heartbeatsSent()));
        m.put("resends", Long.toString(s.resends()));
        m.put("sessions_timed_out", Long.toString(s.sessionsTimedOut()));
        m.put("streams_refused", Long.toString(s.streamsRefused()));
        m.put("holds_dropped", Long.toString(s.holdsDropped()));
        m.put("ack_level", options.replicationAck().toString());
        m.put("ack_timeout_ms", Long.toString(options.replicationAckTimeout().toMillis()));
        m.put("min_replicas_to_write", Integer.toString(options.minReplicasToWrite()));
        int connected = primary.connectedReplicas();
        m.put("connected_replicas", Integer.toString(connected));
        m.put(
            "writes_refused",
            Boolean.toString(
                options.minReplicasToWrite() > 0 && connected < options.minReplicasToWrite()));
        Primary.AckWaitStats a = primary.ackWaitStats();
        m.put("ack_waits", Long.toString(a.waits()));
        m.put("ack_confirmed", Long.toString(a.confirmed()));
        m.put("ack_not_confirmed", Long.toString(a.notConfirmed()));
        m.put("ack_pending", Integer.toString(a.pending()));
        m.put("reads_confirmed_only", Boolean.toString(primary.readsOnlyConfirmed()));
        if (primary.readsOnlyConfirmed()) {
          m.put("confirmed_sequence", Long.toString(primary.confirmedSequence()));
          m.put("read_sequence", Long.toString(db.readSequence()));
        }
        String readRefusal = primary.readRefusal();
        m.put("reads_refused", Boolean.toString(readRefusal != null));
        if (readRefusal != null) {
          m.put("read_refusal", readRefusal);
        }
        SnapshotTransferStatus ts = primary.snapshotTransfers();
        m.put("bootstraps_active", Integer.toString(ts.active()));
        m.put("bootstraps_completed", Long.toString(ts.completed()));
        m.put("bootstraps_failed", Long.toString(ts.failed()));
        m.put("bootstraps_refused", Long.toString(ts.refused()));
        m.put("bootstrap_bytes_sent", Long.toString(ts.bytesSent()));
      }
      case REPLICA -> {
        b.setNodeRole(GetNodeInfoResponse.NodeRole.REPLICA)
            .setPrimaryAddress(primaryAddress)
            .setReadOnly(true);
        Replica replica = this.replica;
        if (replica == null) {
          return;
        }
        ReplicaStatus s = replica.status();
        Map<String, String> m = b.getMutableReplication();
        m.put("replica_id", s.replicaId());
        m.put("state", replica.getStateString());
        m.put("state_ms", Long.toString(s.timeInState().toMillis()));
        m.put("applied_sequence", Long.toString(s.lastAppliedSequence()));
        m.put("durable_sequence", Long.toString(s.durableSequence()));
        m.put("acked_sequence", Long.toString(s.ackedSequence()));
        m.put("primary_last_sequence", Long.toString(s.primaryLastSequence()));
        m.put("lag_entries", Long.toString(s.lagEntries()));
        m.put("lag_ms", Long.toString(s.lagMillis()));
        m.put("bytes_received_wire", Long.toString(s.wireBytesReceived()));
        m.put("bytes_received_raw", Long.toString(s.uncompressedBytesReceived()));
        m.put("entries_applied", Long.toString(s.entriesApplied()));
        m.put("batches_applied", Long.toString(s.batchesApplied()));
        m.put("nacks_sent", Long.toString(s.nacksSent()));
        m.put("checksum_failures", Long.toString(s.checksumFailures()));
        m.put("reconnects", Long.toString(s.reconnects()));
        m.put("needs_bootstrap", Boolean.toString(s.needsBootstrap()));
        m.put("bootstraps_completed", Long.toString(s.bootstrapsCompleted()));
        BootstrapProgress bp = s.bootstrap();
        if (bp != null) {
          m.put("bootstrap_snapshot", bp.snapshotId());
          m.put("bootstrap_sequence", Long.toString(bp.sequence()));
          m.put("bootstrap_bytes_done", Long.toString(bp.bytesDone()));
          m.put("bootstrap_bytes_total", Long.toString(bp.bytesTotal()));
          m.put("bootstrap_files_done", Integer.toString(bp.filesDone()));
          m.put("bootstrap_files_total", Integer.toString(bp.filesTotal()));
          m.put("bootstrap_elapsed_ms", Long.toString(bp.elapsedMillis()));
          m.put("bootstrap_rate_bytes_per_s", Long.toString(bp.bytesPerSecond()));
          m.put("bootstrap_eta_ms", Long.toString(bp.etaMillis()));
        }
        if (s.lastError() != null) {
          m.put("last_error", s.lastError());
        }
        if (s.refusal() != null) {
          m.put("refusal", s.refusal().name());
        }
        m.put("read_wait_timeout_ms", Long.toString(options.readWaitTimeout().toMillis()));
        AppliedWaiters w = readWaits;
        if (w != null) {
          m.put("read_waits", Long.toString(w.waits.sum()));
          m.put("read_wait_timeouts", Long.toString(w.timeouts.sum()));
          m.put("read_waits_pending", Integer.toString(w.pending()));
        }
      }
    }
  }

  private static ReplicaInfo replicaInfo(PrimaryStatus.Replica r) {
    return ReplicaInfo.newBuilder()
        .setAddress(r.clientAddress())
        .setLastSequence(r.lastAckedSequence())
        .setAvailable(r.connected())
        .putMeta("replica_id", r.replicaId())
        .putMeta("lag_entries", Long.toString(r.lagEntries()))
        .putMeta("lag_ms", Long.toString(r.lagMillis()))
        .putMeta("bytes_sent_raw", Long.toString(r.bytesSentRaw()))
        .putMeta("bytes_sent_wire", Long.toString(r.bytesSentWire()))
        .putMeta("compression_ratio", ratio(r.compressionRatio()))
        .putMeta("entries_sent", Long.toString(r.entriesSent()))
        .putMeta("resends", Long.toString(r.resends()))
        .putMeta("connects", Long.toString(r.connectCount()))
        .putMeta("held_from", Long.toString(r.heldFromSequence()))
        .putMeta("hold_dropped", Boolean.toString(r.holdDropped()))
        .build();
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.3f", r);
  }

  /**
   * Stops following the primary (a replica syncs and acknowledges what it applied) or ends every
   * replica stream (a primary persists its replicas' positions). Call before closing the engine.
   * Idempotent; throws nothing.
   */
  @Override
  public void close() {
    Replica replica;
    ManagedChannel channel;
    Primary primary;
    synchronized (switching) {
      closed = true;
      replica = this.replica;
      channel = this.channel;
      primary = this.primary;
    }
    try {
      if (replica != null) {
        replica.stop();
      }
      if (primary != null) {
        primary.close();
      }
    } catch (RuntimeException e) {
      LOG.warn("stopping replication failed", e);
    } finally {
      if (channel != null) {
        channel.shutdownNow();
        try {
          channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
