package io.kevo.server;

import io.kevo.engine.TransactionMode;
import io.kevo.engine.TransactionOptions;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicaOptions;
import io.kevo.wire.AckLevel;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link KevoServer} listens and what it allows. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: listen on {@code 127.0.0.1:50051}; read-write transactions are optimistic unless the
 * client asks otherwise ({@code kevo-tx-mode}), a pessimistic one waits at most 5 s for a key's
 * lock; transactions expire after 30 s idle or 5 min in all, at most 1,000 open at once; shutdown
 * waits 10 s for calls in flight; the largest inbound message is derived from the engine's key and
 * value limits (so an oversized key or value reaches the engine and gets its precise {@code
 * INVALID_ARGUMENT}); {@code GetStats} counts up to 1,000,000 keys; point calls run on the event
 * loop ({@link Dispatch#EVENT_LOOP}); writes are acknowledged {@code async} (a primary waits for no
 * replica), an acknowledgement wait lasts at most 5 s, writes are never refused for lack of
 * replicas, and a replica holds a read that asks for a sequence it has not applied ({@code
 * kevo-min-sequence}) for at most 1 s.
 */
public final class ServerOptions {
  /** The defaults listed in the class comment. */
  public static final ServerOptions DEFAULT = builder().build();

  private final String host;
  private final int port;
  private final Duration transactionIdleTimeout;
  private final Duration transactionMaxLifetime;
  private final int maxOpenTransactions;
  private final TransactionMode transactionMode;
  private final Duration transactionLockTimeout;
  private final Duration shutdownGrace;
  private final int maxInboundMessageBytes;
  private final long statsKeyCountLimit;
  private final Dispatch dispatch;
  private final NodeRole role;
  private final String primaryAddress;
  private final String advertiseAddress;
  private final PrimaryOptions primaryOptions;
  private final ReplicaOptions replicaOptions;
  private final AckLevel replicationAck;
  private final Duration replicationAckTimeout;
  private final int minReplicasToWrite;
  private final Duration readWaitTimeout;
  private final FailoverOptions failover;
  private final TlsOptions tls;
  private final java.nio.file.Path authFile;
  private final boolean insecure;
  private final HostPort metricsListen;

  private ServerOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.transactionIdleTimeout = b.transactionIdleTimeout;
    this.transactionMaxLifetime = b.transactionMaxLifetime;
    this.maxOpenTransactions = b.maxOpenTransactions;
    this.transactionMode = b.transactionMode;
    this.transactionLockTimeout = b.transactionLockTimeout;
    this.shutdownGrace = b.shutdownGrace;
    this.maxInboundMessageBytes = b.maxInboundMessageBytes;
    this.statsKeyCountLimit = b.statsKeyCountLimit;
    this.dispatch = b.dispatch;
    this.role = b.role;
    this.primaryAddress = b.primaryAddress;
    this.advertiseAddress = b.advertiseAddress;
    this.primaryOptions = b.primaryOptions;
    this.replicaOptions = b.replicaOptions;
    this.replicationAck = b.replicationAck;
    this.replicationAckTimeout = b.replicationAckTimeout;
    this.minReplicasToWrite = b.minReplicasToWrite;
    this.readWaitTimeout = b.readWaitTimeout;
    this.failover = b.failover;
    this.tls = b.tls;
    this.authFile = b.authFile;
    this.insecure = b.insecure;
    this.metricsListen = b.metricsListen;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's values. */
  public Builder toBuilder() {
    return new Builder()
        .listen(host, port)
        .transactionIdleTimeout(transactionIdleTimeout)
        .transactionMaxLifetime(transactionMaxLifetime)
        .maxOpenTransactions(maxOpenTransactions)
        .transactionMode(transactionMode)
        .transactionLockTimeout(transactionLockTimeout)
        .shutdownGrace(shutdownGrace)
        .maxInboundMessageBytes(maxInboundMessageBytes)
        .statsKeyCountLimit(statsKeyCountLimit)
        .dispatch(dispatch)
        .role(role)
        .primaryAddress(primaryAddress)
        .advertiseAddress(advertiseAddress)
        .primaryOptions(primaryOptions)
        .replicaOptions(replicaOptions)
        .replicationAck(replicationAck)
        .replicationAckTimeout(replicationAckTimeout)
        .minReplicasToWrite(minReplicasToWrite)
        .readWaitTimeout(readWaitTimeout)
        .failover(failover)
        .tls(tls)
        .authFile(authFile)
        .insecure(insecure)
        .metricsListen(metricsListen());
  }

  /**
   * Where the Prometheus endpoint ({@code GET /metrics}, plain HTTP, no authentication) listens
   * ({@code --metrics-listen}); null (the default): there is none. Port 0 picks a free one.
   */
  public String metricsListen() {
    if (metricsListen == null) {
      return null;
    }
    String h = metricsListen.host();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + metricsListen.port();
  }

  /** The host of {@link #metricsListen()}, or null when there is no metrics endpoint. */
  public String metricsHost() {
    return metricsListen == null ? null : metricsListen.host();
  }

  /** The port of {@link #metricsListen()} (0: a free one), or -1 when there is none. */
  public int metricsPort() {
    return metricsListen == null ? -1 : metricsListen.port();
  }

  /** The roles file ({@code --auth-file}, see {@code io.kevo.server.auth.AuthFile}), or null. */
  public java.nio.file.Path authFile() {
    return authFile;
  }

  /**
   * Whether a non-loopback listen address without authentication was accepted ({@code --insecure}).
   */
  public boolean insecure() {
    return insecure;
  }

  /**
   * Whether calls are authenticated: with an auth file, or with TLS that requires client
   * certificates (then every certificate the CA signed has every role).
   */
  public boolean authenticates() {
    return authFile != null
        || (tls != null && tls.clientAuth() == io.kevo.wire.TlsFiles.ClientAuth.REQUIRE);
  }

  /**
   * The node's TLS (its port serves clients and replicas with it; as a replica it connects to its
   * primary with it), or null: plaintext.
   */
  public TlsOptions tls() {
    return tls;
  }

  /**
   * How this node takes part in automatic failover, or null without a coordinator (roles then
   * change only by {@code kevo promote} and {@code kevo repoint}).
   */
  public FailoverOptions failover() {
    return failover;
  }

  /** The host name or IP address to bind. */
  public String host() {
    return host;
  }

  /** The TCP port to bind; 0 picks a free one (see {@link KevoServer#port()}). */
  public int port() {
    return port;
  }

  /** A transaction unused for this long is rolled back and its id forgotten. */
  public Duration transactionIdleTimeout() {
    return transactionIdleTimeout;
  }

  /** A transaction older than this is rolled back and its id forgotten, however busy. */
  public Duration transactionMaxLifetime() {
    return transactionMaxLifetime;
  }

  /** Beyond this many open transactions, {@code BeginTransaction} fails with RESOURCE_EXHAUSTED. */
  public int maxOpenTransactions() {
    return maxOpenTransactions;
  }

  /**
   * The mode of a read-write transaction whose {@code BeginTransaction} carries no {@code
   * kevo-tx-mode}: {@link TransactionMode#OPTIMISTIC} (the default) or {@link
   * TransactionMode#PESSIMISTIC} (keys locked until the transaction ends, as Kevo's Go server
   * serialises read-write transactions).
   */
  public TransactionMode transactionMode() {
    return transactionMode;
  }

  /**
   * How long a pessimistic transaction's call waits for a key's lock before the transaction is
   * aborted ({@code ABORTED}, {@code kevo-tx-abort: lock-timeout}). A transaction whose call is
   * waiting is busy, not idle: it does not expire meanwhile.
   */
  public Duration transactionLockTimeout() {
    return transactionLockTimeout;
  }

  /** How long {@link KevoServer#close()} lets calls in flight finish before cancelling them. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** The largest request message accepted, in bytes; 0 derives it from the engine's limits. */
  public int maxInboundMessageBytes() {
    return maxInboundMessageBytes;
  }

  /** {@code GetStats} counts live keys by a scan that stops here (then the count is a floor). */
  public long statsKeyCountLimit() {
    return statsKeyCountLimit;
  }

  /** Which threads run the RPC handlers. */
  public Dispatch dispatch() {
    return dispatch;
  }

  /** The node's role (default {@link NodeRole#STANDALONE}). */
  public NodeRole role() {
    return role;
  }

  /** For a {@link NodeRole#REPLICA}: the primary's client address (HOST:PORT); else null. */
  public String primaryAddress() {
    return primaryAddress;
  }

  /**
   * The client address this node gives others (replicas report it to their primary, primaries and
   * replicas name it in GetNodeInfo and redirects); null means the listen host and bound port.
   */
  public String advertiseAddress() {
    return advertiseAddress;
  }

  /** How a {@link NodeRole#PRIMARY} serves its replicas. */
  public PrimaryOptions primaryOptions() {
    return primaryOptions;
  }

  /**
   * How a {@link NodeRole#REPLICA} follows its primary (its listener address is set from {@link
   * #advertiseAddress()} by the server).
   */
  public ReplicaOptions replicaOptions() {
    return replicaOptions;
  }

  /**
   * A primary's default acknowledgement level for client writes ({@code --replication-ack}); a
   * request overrides it with the {@code kevo-ack} metadata. {@link AckLevel#ASYNC} by default.
   * Other than {@code async}, the primary's client reads see only writes a replica acknowledged
   * ({@link io.kevo.replication.PrimaryOptions#ackLevel()}). A replica keeps it for when it is
   * promoted.
   */
  public AckLevel replicationAck() {
    return replicationAck;
  }

  /**
   * How long a write waits for its acknowledgement level before it fails with {@code
   * DEADLINE_EXCEEDED} (it stays committed on the primary); bounded by the call's own deadline.
   */
  public Duration replicationAckTimeout() {
    return replicationAckTimeout;
  }

  /**
   * A primary refuses client writes with {@code FAILED_PRECONDITION} while fewer replicas than this
   * are connected ({@code --min-replicas-to-write}); 0 (the default) never refuses.
   */
  public int minReplicasToWrite() {
    return minReplicasToWrite;
  }

  /**
   * How long a replica holds a read whose {@code kevo-min-sequence} it has not applied before it
   * answers {@code UNAVAILABLE}; bounded by the call's own deadline.
   */
  public Duration readWaitTimeout() {
    return readWaitTimeout;
  }

  @Override
  public String toString() {
    return "ServerOptions{role="
        + role
        + (primaryAddress != null ? ", primary=" + primaryAddress : "")
        + (failover != null ? ", failover=" + failover : "")
        + (tls != null ? ", tls=" + tls : "")
        + (advertiseAddress != null ? ", advertise=" + advertiseAddress : "")
        + (metricsListen != null ? ", metrics=" + metricsListen() : "")
        + ", listen="
        + host
        + ":"
        + port
        + ", transactionIdleTimeout="
        + transactionIdleTimeout
        + ", transactionMaxLifetime="
        + transactionMaxLifetime
        + ", maxOpenTransactions="
        + maxOpenTransactions
        + ", transactionMode="
        + transactionMode
        + ", transactionLockTimeout="
        + transactionLockTimeout
        + ", shutdownGrace="
        + shutdownGrace
        + ", maxInboundMessageBytes="
        + maxInboundMessageBytes
        + ", statsKeyCountLimit="
        + statsKeyCountLimit
        + ", dispatch="
        + dispatch
        + (role == NodeRole.PRIMARY
            ? ", replicationAck="
                + replicationAck
                + ", replicationAckTimeout="
                + replicationAckTimeout
                + ", minReplicasToWrite="
                + minReplicasToWrite
            : "")
        + ", readWaitTimeout="
        + readWaitTimeout
        + "}";
  }

  /** Builder for {@link ServerOptions}; validates each value as it is set. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 50051;
    private Duration transactionIdleTimeout = Duration.ofSeconds(30);
    private Duration transactionMaxLifetime = Duration.ofMinutes(5);
    private int maxOpenTransactions = 1_000;
    private TransactionMode transactionMode = TransactionMode.OPTIMISTIC;
    private Duration transactionLockTimeout = TransactionOptions.DEFAULT_LOCK_TIMEOUT;
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private int maxInboundMessageBytes = 0;
    private long statsKeyCountLimit = 1_000_000;
    private Dispatch dispatch = Dispatch.EVENT_LOOP;
    private NodeRole role = NodeRole.STANDALONE;
    private String primaryAddress;
    private FailoverOptions failover;
    private TlsOptions tls;
    private java.nio.file.Path authFile;
    private boolean insecure;
    private String advertiseAddress;
    private HostPort metricsListen;
    private PrimaryOptions primaryOptions = PrimaryOptions.DEFAULT;
    private ReplicaOptions replicaOptions = ReplicaOptions.DEFAULT;
    private AckLevel replicationAck = AckLevel.ASYNC;
    private Duration replicationAckTimeout = Duration.ofSeconds(5);
    private int minReplicasToWrite = 0;
    private Duration readWaitTimeout = Duration.ofSeconds(1);

    private Builder() {}

    /** Host (name or address) and port ({@code 0..65535}, 0 = pick a free port). */
    public Builder listen(String host, int port) {
      HostPort.check(host, port, "");
      this.host = host;
      this.port = port;
      return this;
    }

    /**
     * Parses {@code HOST:PORT} ({@code [v6addr]:PORT} for IPv6), e.g. {@code 127.0.0.1:50051}.
     *
     * @throws IllegalArgumentException if it is not of that form
     */
    public Builder listen(String hostPort) {
      Objects.requireNonNull(hostPort, "hostPort");
      HostPort hp = HostPort.parse(hostPort);
      return listen(hp.host(), hp.port());
    }

    public Builder transactionIdleTimeout(Duration d) {
      this.transactionIdleTimeout = positive(d, "transactionIdleTimeout");
      return this;
    }

    public Builder transactionMaxLifetime(Duration d) {
      this.transactionMaxLifetime = positive(d, "transactionMaxLifetime");
      return this;
    }

    public Builder maxOpenTransactions(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxOpenTransactions must be at least 1, got " + n);
      }
      this.maxOpenTransactions = n;
      return this;
    }

    /** The default mode of read-write transactions; see {@link ServerOptions#transactionMode()}. */
    public Builder transactionMode(TransactionMode mode) {
      this.transactionMode = Objects.requireNonNull(mode, "transactionMode");
      return this;
    }

    /** Zero: a pessimistic transaction never waits. */
    public Builder transactionLockTimeout(Duration d) {
      Objects.requireNonNull(d, "transactionLockTimeout");
      if (d.isNegative()) {
        throw new IllegalArgumentException("transactionLockTimeout must not be negative, got " + d);
      }
      this.transactionLockTimeout = d;
      return this;
    }

    /** Zero cancels calls in flight at once. */
    public Builder shutdownGrace(Duration d) {
      Objects.requireNonNull(d, "shutdownGrace");
      if (d.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative, got " + d);
      }
      this.shutdownGrace = d;
      return this;
    }

    /** Bytes, or 0 to derive the limit from the engine's key and value limits. */
    public Builder maxInboundMessageBytes(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxInboundMessageBytes must not be negative");
      }
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    public Builder statsKeyCountLimit(long keys) {
      if (keys < 0) {
        throw new IllegalArgumentException("statsKeyCountLimit must not be negative");
      }
      this.statsKeyCountLimit = keys;
      return this;
    }

    public Builder dispatch(Dispatch dispatch) {
      this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
      return this;
    }

    public Builder role(NodeRole r) {
      this.role = Objects.requireNonNull(r, "role");
      return this;
    }

    /** The primary's client address, HOST:PORT (replicas only); null clears it. */
    public Builder primaryAddress(String hostPort) {
      this.primaryAddress =
          hostPort == null ? null : HostPort.requireConnectable(hostPort, "primaryAddress");
      return this;
    }

    /** See {@link ServerOptions#advertiseAddress()}; null derives it. */
    public Builder advertiseAddress(String hostPort) {
      this.advertiseAddress =
          hostPort == null ? null : HostPort.requireConnectable(hostPort, "advertiseAddress");
      return this;
    }

    public Builder primaryOptions(PrimaryOptions o) {
      this.primaryOptions = Objects.requireNonNull(o, "primaryOptions");
      return this;
    }

    public Builder replicaOptions(ReplicaOptions o) {
      this.replicaOptions = Objects.requireNonNull(o, "replicaOptions");
      return this;
    }

    /**
     * The default acknowledgement level (a primary's, or a replica's for when it is promoted; a
     * standalone node must keep {@code async}).
     */
    public Builder replicationAck(AckLevel level) {
      this.replicationAck = Objects.requireNonNull(level, "replicationAck");
      return this;
    }

    public Builder replicationAckTimeout(Duration d) {
      this.replicationAckTimeout = positive(d, "replicationAckTimeout");
      return this;
    }

    /** At least 0; only a primary takes more than 0. */
    public Builder minReplicasToWrite(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("minReplicasToWrite must not be negative, got " + n);
      }
      this.minReplicasToWrite = n;
      return this;
    }

    /** Zero answers at once. */
    public Builder readWaitTimeout(Duration d) {
      Objects.requireNonNull(d, "readWaitTimeout");
      if (d.isNegative()) {
        throw new IllegalArgumentException("readWaitTimeout must not be negative, got " + d);
      }
      this.readWaitTimeout = d;
      return this;
    }

    /**
     * Takes part in automatic failover (null: not). A coordinated node starts as a replica (its
     * {@link #primaryAddress(String)}, if any, followed until the coordinator names the primary)
     * and is elected primary or follows the elected one.
     */
    public Builder failover(FailoverOptions f) {
      this.failover = f;
      return this;
    }

    /** The roles file ({@code --auth-file}); null (the default): none. */
    public Builder authFile(java.nio.file.Path f) {
      this.authFile = f;
      return this;
    }

    /**
     * Accept listening on a non-loopback address without authentication ({@code --insecure}); false
     * by default, when such a node refuses to start.
     */
    public Builder insecure(boolean b) {
      this.insecure = b;
      return this;
    }

    /**
     * See {@link ServerOptions#metricsListen()}: host (name or address) and port ({@code 0..65535},
     * 0 = pick a free one).
     */
    public Builder metricsListen(String host, int port) {
      this.metricsListen = HostPort.check(host, port, "metrics ");
      return this;
    }

    /** {@code HOST:PORT} as {@link #listen(String)} parses it; null: no metrics endpoint. */
    public Builder metricsListen(String hostPort) {
      if (hostPort == null) {
        this.metricsListen = null;
        return this;
      }
      HostPort hp = HostPort.parse(hostPort);
      return metricsListen(hp.host(), hp.port());
    }

    /** TLS for the node's port and its replica's connection; null (the default): plaintext. */
    public Builder tls(TlsOptions t) {
      this.tls = t;
      return this;
    }

    /**
     * @throws IllegalArgumentException for a combination a node refuses to start with (a replica
     *     without a primary, an open port beyond loopback...; see {@code ServerOptionRules})
     */
    public ServerOptions build() {
      ServerOptions built = new ServerOptions(this);
      ServerOptionRules.check(built);
      return built;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
