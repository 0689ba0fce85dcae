package io.kevo.server;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.kevo.engine.KevoDB;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.server.auth.AuthInterceptor;
import io.kevo.server.auth.Authorizer;
import io.kevo.server.auth.Denials;
import io.kevo.server.metrics.NodeMetrics;
import io.kevo.wire.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kevo node: {@code kevo.KevoService} on one engine over gRPC (Netty), with the standard health
 * service ({@code SERVING} for {@code ""} and {@code kevo.KevoService}) and server reflection, in
 * the role {@link ServerOptions#role()} says: a standalone node; a primary, which also serves
 * {@code kevo.replication.WALReplicationService} on the same port; or a replica, which follows its
 * primary's WAL, serves reads and refuses client writes with the primary's address. Every node also
 * serves {@code kevo.replication.ReplicationAdmin}: a replica can be promoted to primary (a new
 * epoch) or pointed at another primary at run time.
 *
 * <p>With {@link ServerOptions#tls()} the port speaks TLS 1.3 only (clients and replicas alike),
 * its certificate files re-read when they change.
 */
public final class KevoServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KevoServer.class);
  private static final String SERVICE = KevoServiceGrpc.SERVICE_NAME;

  /**
   * The health service name that says whether this node takes writes: {@code SERVING} on a
   * standalone node and on a primary with at least {@code --min-replicas-to-write} replicas
   * connected, {@code NOT_SERVING} on a replica, on a primary with fewer, and while the engine
   * refuses writes ({@link KevoDB#writeRefusal()}: a full disk, until space is freed; a failed
   * fsync, until the node is restarted). Checked every 200 ms. The node's own statuses ({@code ""}
   * and {@code kevo.KevoService}) stay {@code SERVING} meanwhile: it still serves reads, and a load
   * balancer's health check must not take it out for that.
   */
  public static final String WRITES_HEALTH_SERVICE = "kevo.writes";

  /**
   * The health service name that says whether this node serves client reads: {@code NOT_SERVING} on
   * a primary that refuses them until a replica has confirmed its last sequence at open (at an
   * acknowledgement level other than {@code async}, after a restart or a promotion; see {@link
   * ReplicationGate#checkReadable()}), else {@code SERVING}. Checked with {@link
   * #WRITES_HEALTH_SERVICE}. The node's own statuses stay {@code SERVING}: it takes writes
   * meanwhile, and a replica usually confirms within milliseconds of connecting.
   */
  public static final String READS_HEALTH_SERVICE = "kevo.reads";

  private static final long WRITES_HEALTH_EVERY_MS = 200;
  private static final String FALLBACK_VERSION = "0.1.0-SNAPSHOT";

  /**
   * How long close waits, once the client calls and replication are done, for what is left: the
   * replication calls answering and each connection's closing handshake (a GOAWAY and a ping),
   * milliseconds normally. A peer that never answers the ping is not waited for beyond this.
   */
  private static final long TERMINATION_WAIT_MS = 1000;

  /** Room for a request's framing and fields around the largest key and value the engine takes. */
  private static final int MESSAGE_OVERHEAD = 64 << 10;

  private final KevoDB db;
  private final ServerOptions options;
  private final Server server;
  private final TransactionRegistry transactions;
  private final KevoServiceImpl service;
  private final HealthStatusManager health;
  private final ScheduledExecutorService sweeper;
  private final ScheduledExecutorService timer;
  private final CallDispatch dispatch;
  private final NodeReplication replication;
  private final ReplicationGate gate;
  private final CallDrain clientCalls = new CallDrain();
  private final OpenStreams openStreams = new OpenStreams();
  private volatile String selfAddress;
  private volatile CoordinatedNode coordinated;
  private final ShardGate shards;
  private volatile TlsFiles tlsFiles; // the port's certificate files, watched until close
  private final Authorizer authorizer; // null: calls are not authenticated
  private final Denials denials;
  private final NodeMetrics metrics; // null: no Prometheus endpoint
  private final AtomicBoolean closed = new AtomicBoolean();

  private KevoServer(
      KevoDB db, ServerOptions options, ServerBuilder<?> builder, LongSupplier nanoTime) {
    this.db = db;
    this.options = options;
    this.transactions =
        new TransactionRegistry(
            db,
            options.transactionIdleTimeout(),
            options.transactionMaxLifetime(),
            options.maxOpenTransactions(),
            options.transactionMode(),
            options.transactionLockTimeout(),
            nanoTime);
    this.metrics = options.metricsListen() != null ? NodeMetrics.create() : null;
    RpcMetrics rpcMetrics = new RpcMetrics(nanoTime, metrics == null ? null : metrics.rpc());
    this.dispatch = new CallDispatch(options.dispatch(), db.options().syncMode());
    ScheduledThreadPoolExecutor waitTimer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "kevo-wait-timer");
              t.setDaemon(true);
              return t;
            });
    waitTimer.setRemoveOnCancelPolicy(true); // cancelled read-wait timeouts leave nothing behind
    this.timer = waitTimer;
    NodeReplication nr;
    try {
      nr = NodeReplication.create(db, options, timer, dispatch.background());
    } catch (RuntimeException e) {
      timer.shutdownNow();
      dispatch.close();
      throw e;
    }
    this.replication = nr;
    this.gate = new ReplicationGate(nr, options);
    this.shards =
        options.failover() == null
            ? new ShardGate(null, null)
            : new ShardGate(
                options.failover().coordinator().cluster(),
                options.failover().coordinator().shard());
    this.service =
        new KevoServiceImpl(
            db,
            transactions,
            rpcMetrics,
            options,
            version(),
            dispatch.syncWrites(),
            replication,
            gate);
    this.health = new HealthStatusManager();
    dispatch.configure(builder);
    builder.intercept(new FatalErrorInterceptor(FatalErrorInterceptor.UNCAUGHT));
    this.denials = new Denials(nanoTime);
    if (options.authenticates()) {
      this.authorizer =
          options.authFile() != null
              ? Authorizer.fromFile(options.authFile())
              : Authorizer.anyVerifiedCertificate();
      // Added last, so it runs first: nothing of a refused call runs.
      builder.intercept(new AuthInterceptor(authorizer, denials));
    } else {
      this.authorizer = null;
    }
    builder
        .addService(replication.service())
        .addService(ServerInterceptors.intercept(replication.adminService(), clientCalls));
    this.server =
        builder
            .addService(
                ServerInterceptors.intercept(
                    service,
                    new ShardInterceptor(shards),
                    new CallState.Interceptor(),
                    rpcMetrics,
                    clientCalls))
            .addService(ServerInterceptors.intercept(health.getHealthService(), openStreams))
            .addService(
                ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), openStreams))
            .maxInboundMessageSize(maxInbound(db, options))
            .build();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-tx-sweeper");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts serving {@code db} on {@link ServerOptions#host()}:{@link ServerOptions#port()}.
   *
   * @throws UncheckedIOException if the address cannot be bound (the engine is left open)
   */
  public static KevoServer start(KevoDB db, ServerOptions options) {
    Objects.requireNonNull(options, "options");
    InetSocketAddress at = new InetSocketAddress(options.host(), options.port());
    if (options.tls() == null) {
      return start(db, options, NettyServerBuilder.forAddress(at), System::nanoTime);
    }
    TlsFiles tls = options.tls().serverFiles();
    try {
      KevoServer s =
          start(
              db,
              options,
              NettyServerBuilder.forAddress(at, tls.serverCredentials()),
              System::nanoTime);
      s.tlsFiles = tls;
      return s;
    } catch (RuntimeException e) {
      tls.close();
      throw e;
    }
  }

  /** Starts on any transport (in-process in tests), with a given monotonic clock. */
  static KevoServer start(
      KevoDB db, ServerOptions options, ServerBuilder<?> builder, LongSupplier nanoTime) {
    Objects.requireNonNull(db, "db");
    KevoServer s = new KevoServer(db, options, builder, nanoTime);
    try {
      s.startMetrics();
      s.server.start();
    } catch (IOException e) {
      s.stopUnstarted();
      throw new UncheckedIOException(
          "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      s.stopUnstarted(); // e.g. the metrics address cannot be bound
      throw e;
    }
    s.selfAddress =
        options.advertiseAddress() != null
            ? options.advertiseAddress()
            : options.host() + ":" + s.port();
    try {
      s.replication.start(s.selfAddress);
      if (options.failover() != null) {
        s.coordinated =
            CoordinatedNode.start(
                s.replication,
                s.gate,
                s.shards,
                s.transactions::rollBackAll,
                db,
                options,
                s.selfAddress);
        s.gate.coordinated(s.coordinated);
        s.replication.coordinated(s.coordinated);
      }
    } catch (RuntimeException e) {
      s.server.shutdownNow();
      s.sweeper.shutdownNow();
      s.timer.shutdownNow();
      s.replication.close();
      if (s.metrics != null) {
        s.metrics.close();
      }
      throw e;
    }
    long sweepMillis =
        Math.max(10, Math.min(1_000, options.transactionIdleTimeout().toMillis() / 2));
    s.sweeper.scheduleWithFixedDelay(
        s::sweepQuietly, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    if (s.authorizer != null) {
      s.timer.scheduleWithFixedDelay(s.authorizer::reloadIfChanged, 1, 1, TimeUnit.SECONDS);
    }
    logAccess(s, options);
    s.health.setStatus("", ServingStatus.SERVING);
    s.health.setStatus(SERVICE, ServingStatus.SERVING);
    s.updateWritesHealth();
    // Roles change at run time (promotion; a primary superseded by a newer epoch): keep checking.
    s.timer.scheduleWithFixedDelay(
        s::updateWritesHealth,
        WRITES_HEALTH_EVERY_MS,
        WRITES_HEALTH_EVERY_MS,
        TimeUnit.MILLISECONDS);
    LOG.debug("serving {} on {} with {}", db.directory(), s.server.getListenSockets(), options);
    return s;
  }

  /** Undoes the constructor's work when the server could not start (the engine is left open). */
  private void stopUnstarted() {
    sweeper.shutdownNow();
    timer.shutdownNow();
    dispatch.close();
    replication.close();
    if (metrics != null) {
      metrics.close();
    }
  }

  /** Binds the node's meters and opens the metrics endpoint, if the options ask for one. */
  private void startMetrics() {
    if (metrics == null) {
      return;
    }
    metrics.bind(
        new NodeMetrics.Sources(
            db,
            () -> role().name().toLowerCase(Locale.ROOT),
            Arrays.stream(NodeRole.values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList(),
            this::primary,
            this::replica,
            denials,
            transactions.counts(),
            transactions::openCount,
            this::openScans,
            this::bytesRead));
    metrics.listen(options.metricsHost(), options.metricsPort());
  }

  private static void logAccess(KevoServer s, ServerOptions options) {
    if (options.authFile() != null) {
      LOG.info(
          "calls are authorized by {}{}",
          options.authFile(),
          options.tls() == null
              ? "; without TLS, bearer tokens cross the network in the clear"
              : "");
    } else if (options.authenticates()) {
      LOG.info(
          "calls need a client certificate signed by {}; each such certificate has every role (no"
              + " --auth-file)",
          options.tls().ca());
    } else {
      LOG.info(
          "{} is open: no authentication, so any process that reaches it can read, write,"
              + " replicate and promote (see --tls-* and --auth-file)",
          s.address());
    }
  }

  /** Who may do what on this node, or null when calls are not authenticated. */
  Authorizer authorizer() {
    return authorizer;
  }

  /** Calls refused for want of an identity or a role since the node started. */
  public Denials denials() {
    return denials;
  }

  /** The port bound (the chosen one when the options asked for port 0), or -1 if not TCP. */
  public int port() {
    for (SocketAddress a : server.getListenSockets()) {
      if (a instanceof InetSocketAddress inet) {
        return inet.getPort();
      }
    }
    return -1;
  }

  /**
   * The port the Prometheus endpoint is bound to (the chosen one when the options asked for port
   * 0), or -1 when there is none ({@link ServerOptions#metricsListen()} null).
   */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** {@code host:port} as bound, e.g. {@code 127.0.0.1:50051}. */
  public String address() {
    return options.host() + ":" + port();
  }

  /**
   * This node's client address as it gives it to others (see {@link
   * ServerOptions#advertiseAddress()}).
   */
  public String advertisedAddress() {
    return selfAddress;
  }

  /** The node's role. */
  public NodeRole role() {
    return replication.role();
  }

  /** The replication primary (role PRIMARY), for status and tests; null otherwise. */
  public io.kevo.replication.primary.Primary primary() {
    return replication.primary();
  }

  /**
   * This node's member id and what it does in the cluster (following, leading, why there is no
   * primary) when it takes part in automatic failover; empty otherwise.
   */
  public java.util.Optional<String> clusterState() {
    CoordinatedNode c = coordinated;
    return c == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(c.memberId() + ": " + c.state());
  }

  /** The replica process (role REPLICA), for status and tests; null otherwise. */
  public io.kevo.replication.replica.Replica replica() {
    return replication.replica();
  }

  /** A standalone node's snapshot transfers (backups), for status and tests; null otherwise. */
  StandaloneSnapshots standaloneSnapshots() {
    return replication.standaloneSnapshots();
  }

  /** The engine served. */
  public KevoDB db() {
    return db;
  }

  /** Scans streaming now; each holds an open engine iterator. */
  int openScans() {
    return service.openScans();
  }

  /** Key and value bytes sent to clients by reads so far. */
  long bytesRead() {
    return service.bytesRead();
  }

  /** Transactions open now. */
  int openTransactions() {
    return transactions.openCount();
  }

  /** Expires idle and too-old transactions now (the sweeper does this every second or so). */
  int sweepTransactions() {
    return transactions.sweep();
  }

  /** Blocks until the server has shut down (after {@link #close()} from another thread). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Shuts down with {@link ServerOptions#shutdownGrace()}; see the class comment. */
  @Override
  public void close() {
    close(options.shutdownGrace());
  }

  /**
   * Shuts down in this order, so that nothing waits for what never ends on its own:
   *
   * <ol>
   *   <li>Client calls ({@code KevoService}, {@code ReplicationAdmin}): new ones are refused with
   *       {@code UNAVAILABLE} so that clients go to another node; those in flight get up to {@code
   *       grace} to finish, then are cancelled. Replication runs on meanwhile: a write in flight
   *       may be waiting for its replicas' acknowledgements, a read on a replica for its primary's
   *       next write.
   *   <li>Replication: a primary sends each replica every write it made, then ends its stream with
   *       {@code UNAVAILABLE} (the replica reconnects, here or to another node); a replica stops
   *       following.
   *   <li>The server: no new calls; health watches and reflection sessions are ended; the
   *       connections close.
   *   <li>Open transactions are rolled back and the engine is closed.
   * </ol>
   *
   * Idempotent; throws nothing.
   */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    health.enterTerminalState();
    clientCalls.close();
    boolean interrupted = false;
    boolean drained = false;
    try {
      drained = clientCalls.awaitIdle(grace);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (!drained && !interrupted) {
      LOG.warn(
          "calls still running after {} ms; cancelling them ({} left)",
          grace.toMillis(),
          clientCalls.running());
      service.abortScans();
    }
    replication.close();
    CoordinatedNode c = coordinated;
    if (c != null) {
      // After replication: the replicas have every write before they may elect another primary.
      c.close();
    }
    // The open streams end with UNAVAILABLE before the transport starts shutting down, so that a
    // watcher hears why rather than a cancellation (one that begins meanwhile is ended at once).
    openStreams.endAll();
    server.shutdown();
    try {
      if (!drained) {
        server.shutdownNow();
      }
      if (!server.awaitTermination(TERMINATION_WAIT_MS, TimeUnit.MILLISECONDS)) {
        LOG.debug(
            "connections still open {} ms after the last call; closing them", TERMINATION_WAIT_MS);
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      server.shutdownNow();
    }
    sweeper.shutdownNow();
    timer.shutdownNow();
    dispatch.close();
    TlsFiles tls = tlsFiles;
    if (tls != null) {
      tls.close();
    }
    service.abortScans(); // iterators of cancelled streams whose handlers have not run yet
    if (metrics != null) {
      metrics.close(); // before the engine closes: a scrape reads its counters
    }
    transactions.close();
    db.close();
    LOG.debug(
        "server stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void updateWritesHealth() {
    try {
      if (!closed.get()) {
        boolean refused = gate.writesRefused() || db.writeRefusal().isPresent();
        health.setStatus(
            WRITES_HEALTH_SERVICE, refused ? ServingStatus.NOT_SERVING : ServingStatus.SERVING);
        health.setStatus(
            READS_HEALTH_SERVICE,
            gate.readRefusal() != null ? ServingStatus.NOT_SERVING : ServingStatus.SERVING);
      }
    } catch (RuntimeException e) {
      LOG.warn("updating the writes health status failed", e);
    }
  }

  private void sweepQuietly() {
    try {
      transactions.sweep();
    } catch (RuntimeException e) {
      LOG.warn("transaction sweep failed", e);
    }
  }

  private static int maxInbound(KevoDB db, ServerOptions options) {
    if (options.maxInboundMessageBytes() > 0) {
      return options.maxInboundMessageBytes();
    }
    long derived =
        (long) db.options().maxKeySize() + db.options().maxValueSize() + MESSAGE_OVERHEAD;
    return (int) Math.min(Integer.MAX_VALUE, derived);
  }

  /** The version GetNodeInfo reports: the jar's Implementation-Version, else the build's. */
  static String version() {
    String v = KevoServer.class.getPackage().getImplementationVersion();
    return v != null ? v : FALLBACK_VERSION;
  }
}
