package io.kevo.server;

import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KeyRange;
import io.kevo.engine.ReadCeiling;
import io.kevo.proto.replication.PromoteResponse;
import io.kevo.proto.replication.RepointResponse;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.primary.Primary;
import io.kevo.replication.replica.Replica;
import io.kevo.wire.TlsFiles;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's replication role at run time and its transitions: nothing for a standalone node, a
 * {@link Primary} serving {@code WALReplicationService} for a primary, a {@link Replica} following
 * its primary for a replica; {@link #promote()} turns a replica into a primary and {@link
 * #repoint(String)} makes it follow another one. Owns the role's parts (the primary, or the replica
 * and its channel) and closes them. What the role allows of client calls is decided by {@link
 * ReplicationGate}; {@code GetNodeInfo} is built by {@link NodeInfoReport}. Thread-safe: role
 * changes are serialised with each other and with {@link #close()}; readers see the parts through
 * volatile fields.
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
  private final StandaloneSnapshots standaloneSnapshots; // null unless standalone
  private volatile AppliedWaiters readWaits;
  private TlsFiles replicationTls; // guarded by switching
  private volatile Replica replica;
  private volatile ManagedChannel channel;
  private volatile String primaryAddress;
  private volatile boolean learner; // the replica copies another shard's log for a split
  private volatile KeyRange learnerRange; // the keys it copies, while a learner
  private volatile String selfAddress;
  private volatile CoordinatedNode coordinated;
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
    this.standaloneSnapshots =
        standaloneEpochs == null
            ? null
            : new StandaloneSnapshots(db, primaryOptions(options), standaloneEpochs, timer);
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
      case REPLICA -> {
        // A coordinated node may start without a primary: the coordinator elects one.
        if (options.primaryAddress() != null) {
          follow(options.primaryAddress());
        }
      }
    }
  }

  /**
   * A channel builder to the primary at {@code address}: TLS with the node's replication files
   * (opened on first use, closed with this object) when the node has TLS, else plaintext.
   */
  private NettyChannelBuilder primaryChannel(String address) {
    TlsOptions tls = options.tls();
    if (tls == null) {
      return NettyChannelBuilder.forTarget(address).usePlaintext();
    }
    synchronized (switching) {
      if (replicationTls == null) {
        replicationTls = tls.replicationFiles();
      }
      return NettyChannelBuilder.forTarget(address, replicationTls.channelCredentials());
    }
  }

  /** Starts a replica following {@code address} (the fields name it once it runs). */
  private void follow(String address) {
    follow(address, null);
  }

  /**
   * Starts a replica following {@code address}; a learner of the keys {@code learns} (null: not a
   * learner) copies another shard's log for a split, keeps only those keys, and its
   * acknowledgements count for nothing on that primary.
   */
  private void follow(String address, KeyRange learns) {
    boolean learner = learns != null;
    ManagedChannel ch =
        primaryChannel(address)
            .maxInboundMessageSize(Integer.MAX_VALUE)
            // Every callback of the replica's calls only enqueues for its apply thread (never
            // blocks): running them on the event loop saves a hand-off to gRPC's executor per
            // message.
            .directExecutor()
            .build();
    ReplicaOptions ro =
        options.replicaOptions().toBuilder()
            .listenerAddress(selfAddress)
            .learner(learner)
            .keyRange(learner ? learns : KeyRange.ALL)
            .build();
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
    this.learner = learner;
    this.learnerRange = learns;
    r.start();
    LOG.info(
        "replica {} following primary {}{}",
        r.replicaId(),
        address,
        learner ? " as a learner of the keys " + learns + " (for a split)" : "");
  }

  /** Stops following the primary: the replica syncs and acknowledges what it applied. */
  private void unfollow() {
    learner = false;
    learnerRange = null;
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
        HostPort.parse(address);
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
   * Makes this node the primary of a term of {@code epoch}, an epoch the coordinator granted: a
   * replica stops following (what it applied is synced); a primary of an older term (one that lost
   * its leadership) ends that term's streams. The new term is written to the epoch history before
   * anything is written in it.
   *
   * @return the new term
   * @throws ServerException SHUTTING_DOWN on a closed node
   */
  EpochHistory.Term becomePrimary(long epoch) {
    synchronized (switching) {
      checkOpen();
      String old = primaryAddress;
      if (role == NodeRole.PRIMARY) {
        primary.close();
        primary = null;
      } else {
        unfollow();
      }
      readWaits = null;
      replica = null;
      channel = null;
      Primary p = Primary.open(db, primaryOptions(options), Primary.beginTermAt(db, epoch));
      primary = p;
      primaryAddress = selfAddress;
      role = NodeRole.PRIMARY;
      EpochHistory.Term t = p.epochs().last();
      LOG.warn("elected primary (the primary was {}): {}", old == null ? "unknown" : old, t);
      return t;
    }
  }

  /**
   * Makes this node follow the primary at {@code address}: a replica following another primary (or
   * none) is pointed at it; a primary that lost its leadership ends its term and becomes a replica
   * (entries only it had are discarded and recorded when its history is compared with the new
   * primary's). Nothing happens if it already follows {@code address}.
   *
   * @throws ServerException SHUTTING_DOWN on a closed node
   */
  void becomeReplicaOf(String address) {
    synchronized (switching) {
      checkOpen();
      if (role == NodeRole.REPLICA
          && replica != null
          && address.equals(primaryAddress)
          && !learner) {
        return;
      }
      String old = primaryAddress;
      if (role == NodeRole.PRIMARY) {
        primary.close();
        primary = null;
        // A primary's reads stop at what replicas confirmed; a replica reads what it applied.
        db.readCeiling(ReadCeiling.NONE);
        role = NodeRole.REPLICA;
        LOG.warn("stepping down: this node follows the primary at {} from now on", address);
      } else {
        unfollow();
        LOG.warn("following the elected primary at {} (was {})", address, old);
      }
      follow(address);
    }
  }

  /**
   * Makes this replica copy the log of the primary at {@code address} as a learner: a node of a new
   * shard following the primary of the shard it splits from ({@link SplitRole}), keeping only the
   * moving keys {@code range} (it bootstraps from a snapshot of them unless its database already
   * keeps exactly them). Its acknowledgements count for nothing there.
   *
   * @throws ServerException SHUTTING_DOWN on a closed node; BAD_REQUEST on a primary
   */
  void becomeLearnerOf(String address, KeyRange range) {
    synchronized (switching) {
      checkOpen();
      if (role != NodeRole.REPLICA) {
        throw new ServerException(
            ServerException.Reason.BAD_REQUEST,
            "only a replica learns another shard's log, and this node is " + role);
      }
      unfollow();
      LOG.warn("learning the log of the primary at {} for a split", address);
      follow(address, range);
    }
  }

  /** Stops learning another shard's log (its split was given up); what was applied stays. */
  void stopLearning() {
    synchronized (switching) {
      if (learner && role == NodeRole.REPLICA) {
        unfollow();
        readWaits = null;
        replica = null;
        channel = null;
        primaryAddress = null;
        LOG.warn("stopped learning another shard's log: its split was given up");
      }
    }
  }

  /** Whether this node learns the keys {@code range} from the primary at {@code address} now. */
  boolean learnsFrom(String address, KeyRange range) {
    return learner
        && replica != null
        && address.equals(primaryAddress)
        && range.equals(learnerRange);
  }

  /** Whether this node is a replica that follows no primary yet (a coordinated node's start). */
  boolean awaitingPrimary() {
    return role == NodeRole.REPLICA && replica == null;
  }

  /**
   * The primary's options with the server's default acknowledgement level: other than {@code
   * async}, the primary serves reads of confirmed writes only (see {@link Primary#readRefusal()}).
   */
  private static io.kevo.replication.PrimaryOptions primaryOptions(ServerOptions options) {
    return options.primaryOptions().toBuilder().ackLevel(options.replicationAck()).build();
  }

  private void checkOpen() {
    if (closed) {
      throw new ServerException(ServerException.Reason.SHUTTING_DOWN, "the node is closing");
    }
  }

  NodeRole role() {
    return role;
  }

  /** Sets the node's part in automatic failover, once it has started. */
  void coordinated(CoordinatedNode c) {
    this.coordinated = c;
  }

  /** The node's part in automatic failover, or null without a coordinator (or before start). */
  CoordinatedNode coordinated() {
    return coordinated;
  }

  /**
   * The replication service every node serves on its client port: the primary's while this node is
   * one; on a standalone node, one-shot snapshots for backups; else a refusal ({@code NOT_PRIMARY},
   * naming the primary if known).
   */
  ServerServiceDefinition service() {
    return ReplicationEndpoint.create(
        () -> {
          Primary p = primary;
          return p == null ? null : p.bindableService();
        },
        standaloneSnapshots == null ? null : standaloneSnapshots.service(),
        () -> primaryAddress);
  }

  /** A standalone node's snapshot transfers (backups); null on other roles. */
  StandaloneSnapshots standaloneSnapshots() {
    return standaloneSnapshots;
  }

  /** {@code kevo.replication.ReplicationAdmin}: promote and repoint, run on {@code executor}. */
  ServerServiceDefinition adminService() {
    return io.grpc.ServerInterceptors.intercept(
        new AdminService(this, background), AdminService.FORCE_HEADER);
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

  /** Where work released by a wait runs (never an event loop or an acknowledging thread). */
  Executor background() {
    return background;
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

  /**
   * The primary's client address: this node's own on a primary; null if not known, and on a learner
   * (the primary it copies is another shard's: clients must not be sent there).
   */
  String primaryAddress() {
    return learner ? null : primaryAddress;
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
      if (standaloneSnapshots != null) {
        standaloneSnapshots.close();
      }
    } catch (RuntimeException e) {
      LOG.warn("stopping replication failed", e);
    } finally {
      synchronized (switching) {
        if (replicationTls != null) {
          replicationTls.close();
          replicationTls = null;
        }
      }
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
