package io.kevo.client;

import io.kevo.wire.AckLevel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link KevoClient} connects and retries. Immutable; build with {@link #builder()}.
 *
 * <p>The endpoint is a node, {@code HOST:PORT} (or several seed nodes), or a cluster registered in
 * ZooKeeper, {@code zk://HOST:PORT[,HOST:PORT...]/CLUSTER}, whose members the client discovers and
 * follows through failovers (see {@link KevoClient}; {@link #coordinatorTimeout()} bounds the wait
 * for ZooKeeper at connect, 5 s by default).
 *
 * <p>Defaults ({@link #DEFAULT}): endpoint {@code 127.0.0.1:50051}, plaintext; each unary call
 * (each attempt) has a 5 s deadline and a scan stream 10 minutes in all; calls safe to redo are
 * tried up to 3 times on {@code UNAVAILABLE}, waiting 100 ms, then 200 ms, ... at most 2 s between
 * attempts; the largest message accepted is 65 MiB (the engine's default value limit plus room).
 * Routing: reads go to the primary ({@link ReadPreference#PRIMARY}); the topology is re-read every
 * 30 s; a write follows at most 3 redirects; a node that failed with {@code UNAVAILABLE} is passed
 * over for 5 s. Writes use the server's acknowledgement level; session consistency
 * (read-your-writes) is on.
 *
 * <p><b>Why these two defaults.</b> A client must see its own writes without being told to: a get
 * after a put returns the put's value. Reads from the primary give that (as MongoDB's default
 * does), and session consistency keeps it when the reads are sent elsewhere: with {@code
 * readPreference(ReadPreference.REPLICA_PREFERRED)} a read carries the highest sequence this client
 * wrote or read, and a replica that has not applied it yet waits briefly, then refuses, and the
 * read goes to the primary. So spreading reads over replicas is one line and never costs the client
 * its own writes; only {@code sessionConsistency(false)} does (reads then see whatever the replica
 * has, possibly older than the client's last write).
 */
public final class ClientOptions {
  /** The defaults listed in the class comment. */
  public static final ClientOptions DEFAULT = builder().build();

  private final List<String> endpoints;
  private final Duration deadline;
  private final Duration scanDeadline;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final boolean retryWrites;
  private final TlsConfig tls;
  private final String bearerToken;
  private final int maxInboundMessageBytes;
  private final ReadPreference readPreference;
  private final Duration topologyRefreshInterval;
  private final int maxRedirects;
  private final Duration unavailableNodeBackoff;
  private final AckLevel ackLevel;
  private final boolean sessionConsistency;
  private final ZkEndpoint coordinator;
  private final Duration coordinatorTimeout;

  private ClientOptions(Builder b) {
    this.endpoints = b.endpoints;
    this.coordinator = b.coordinator;
    this.coordinatorTimeout = b.coordinatorTimeout;
    this.deadline = b.deadline;
    this.scanDeadline = b.scanDeadline;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.retryWrites = b.retryWrites;
    this.tls = b.tls;
    this.bearerToken = b.bearerToken;
    this.maxInboundMessageBytes = b.maxInboundMessageBytes;
    this.readPreference = b.readPreference;
    this.topologyRefreshInterval = b.topologyRefreshInterval;
    this.maxRedirects = b.maxRedirects;
    this.unavailableNodeBackoff = b.unavailableNodeBackoff;
    this.ackLevel = b.ackLevel;
    this.sessionConsistency = b.sessionConsistency;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults with another endpoint: a node's {@code HOST:PORT}, or a cluster's {@code
   * zk://HOST:PORT[,HOST:PORT...]/CLUSTER} (see {@link Builder#endpoint(String)}).
   *
   * @throws IllegalArgumentException if {@code endpoint} is malformed (the message names the part)
   */
  public static ClientOptions forEndpoint(String endpoint) {
    return builder().endpoint(endpoint).build();
  }

  /** These options for shard {@code id}'s replication group (a routing client's group client). */
  ClientOptions forShard(String id) {
    Builder b = toBuilder();
    b.shard = id;
    return b.build();
  }

  /** A builder holding this object's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpoints = endpoints;
    b.coordinatorUrl = coordinator();
    b.coordinatorTimeout = coordinatorTimeout;
    b.deadline = deadline;
    b.scanDeadline = scanDeadline;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.retryWrites = retryWrites;
    b.tls = tls;
    b.bearerToken = bearerToken;
    b.maxInboundMessageBytes = maxInboundMessageBytes;
    b.readPreference = readPreference;
    b.topologyRefreshInterval = topologyRefreshInterval;
    b.maxRedirects = maxRedirects;
    b.unavailableNodeBackoff = unavailableNodeBackoff;
    b.ackLevel = ackLevel;
    b.sessionConsistency = sessionConsistency;
    return b;
  }

  /**
   * The seed nodes, as {@code HOST:PORT} client addresses; at least one. Any node of the cluster
   * will do: the client reads the topology from the first seed that answers and finds the others
   * from it. The first seed is also the node {@link KevoClient#stats()}, {@link
   * KevoClient#nodeInfo()} and {@link KevoClient#compact()} talk to.
   *
   * <p>Empty when the nodes are discovered from ZooKeeper ({@link #coordinator()}): the client's
   * seeds are then the cluster's registered members, the primary first, and follow their changes.
   */
  public List<String> endpoints() {
    return endpoints;
  }

  /**
   * The {@code zk://HOST:PORT[,HOST:PORT...]/CLUSTER} endpoint the client discovers its nodes from,
   * or null if it was given its seed nodes ({@link #endpoints()}). See {@link KevoClient} for what
   * discovery does.
   */
  public String coordinator() {
    return coordinator == null ? null : coordinator.url();
  }

  /** The parsed {@link #coordinator()}, or null. */
  ZkEndpoint zkEndpoint() {
    return coordinator;
  }

  /**
   * With a {@link #coordinator()}: how long {@link KevoClient#connect(ClientOptions)} waits for a
   * ZooKeeper server to answer and for the cluster's member list, 5 s by default. Unused otherwise.
   */
  public Duration coordinatorTimeout() {
    return coordinatorTimeout;
  }

  /** The deadline of each attempt of a unary call. */
  public Duration deadline() {
    return deadline;
  }

  /** The deadline of a whole scan stream, from its start to its last pair. */
  public Duration scanDeadline() {
    return scanDeadline;
  }

  /** Attempts per call safe to redo (1 means no retry). Other calls get exactly one. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before the second attempt; it doubles for each further one. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The longest wait between two attempts. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Whether put, delete and batch are retried like reads (see {@link KevoClient} for why that is
   * safe). Transaction calls are never retried.
   */
  public boolean retryWrites() {
    return retryWrites;
  }

  /**
   * The bearer token sent with every call ({@code authorization: Bearer TOKEN}) to a node whose
   * auth file grants it roles, or null (the default): none.
   */
  public String bearerToken() {
    return bearerToken;
  }

  /** How the connection is secured; {@link TlsConfig#plaintext()} by default. */
  public TlsConfig tls() {
    return tls;
  }

  /** The largest response accepted, in bytes. */
  public int maxInboundMessageBytes() {
    return maxInboundMessageBytes;
  }

  /**
   * Which node serves reads; {@link ReadPreference#PRIMARY} by default (see the class comment for
   * why).
   */
  public ReadPreference readPreference() {
    return readPreference;
  }

  /**
   * How often the topology is re-read in the background ({@code GetNodeInfo}); zero disables the
   * timer (the topology is then re-read only at the first call, after a failure and after a
   * redirect).
   */
  public Duration topologyRefreshInterval() {
    return topologyRefreshInterval;
  }

  /**
   * How many redirects ({@code FAILED_PRECONDITION} with a {@code kevo-primary} trailer) one
   * attempt of a call follows before it fails; 0 follows none.
   */
  public int maxRedirects() {
    return maxRedirects;
  }

  /**
   * How long a node that failed with {@code UNAVAILABLE} is passed over while another node can
   * serve the call. A node that answers any call is reachable again at once.
   */
  public Duration unavailableNodeBackoff() {
    return unavailableNodeBackoff;
  }

  /**
   * The acknowledgement level every write asks for ({@code kevo-ack}) unless its {@link WriteSpec}
   * names one; null (the default) sends none, so the server's {@code --replication-ack} applies.
   */
  public AckLevel ackLevel() {
    return ackLevel;
  }

  /**
   * Whether the client is one read-your-writes session: it tracks the highest commit sequence it
   * wrote or read ({@link KevoClient#sessionSequence()}) and sends it as {@code kevo-min-sequence}
   * with every read (get, scan, read-only transaction); a replica that has not applied it waits
   * briefly, then refuses, and the read goes to the primary. On by default: a primary answers such
   * a read at once, and it keeps read-your-writes when reads go to replicas. Off, a read on a
   * replica answers at once with what the replica has.
   */
  public boolean sessionConsistency() {
    return sessionConsistency;
  }

  @Override
  public String toString() {
    return "ClientOptions{"
        + (coordinator != null
            ? "coordinator=" + coordinator + ", coordinatorTimeout=" + coordinatorTimeout
            : "endpoints=" + endpoints)
        + ", deadline="
        + deadline
        + ", scanDeadline="
        + scanDeadline
        + ", maxAttempts="
        + maxAttempts
        + ", backoff="
        + initialBackoff
        + ".."
        + maxBackoff
        + ", retryWrites="
        + retryWrites
        + ", readPreference="
        + readPreference
        + ", topologyRefreshInterval="
        + topologyRefreshInterval
        + ", maxRedirects="
        + maxRedirects
        + ", unavailableNodeBackoff="
        + unavailableNodeBackoff
        + (ackLevel != null ? ", ackLevel=" + ackLevel : "")
        + ", sessionConsistency="
        + sessionConsistency
        + "}";
  }

  /** Parses {@code HOST:PORT} (IPv6 hosts in brackets) or throws IllegalArgumentException. */
  static HostPort parseEndpoint(String endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      throw new IllegalArgumentException("endpoint must be HOST:PORT, got '" + endpoint + "'");
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint must be HOST:PORT, got '" + endpoint + "'", e);
    }
    if (host.isEmpty() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("endpoint must be HOST:PORT, got '" + endpoint + "'");
    }
    return new HostPort(host, port);
  }

  record HostPort(String host, int port) {}

  /** Builds {@link ClientOptions}; {@link #build()} validates. */
  public static final class Builder {
    private List<String> endpoints = List.of("127.0.0.1:50051");
    private String coordinatorUrl;
    private ZkEndpoint coordinator; // parsed from coordinatorUrl by build()
    private String shard; // with coordinatorUrl: the shard's group (set by forShard only)
    private Duration coordinatorTimeout = Duration.ofSeconds(5);
    private Duration deadline = Duration.ofSeconds(5);
    private Duration scanDeadline = Duration.ofMinutes(10);
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private boolean retryWrites = true;
    private TlsConfig tls = TlsConfig.plaintext();
    private String bearerToken;
    private int maxInboundMessageBytes = (64 << 20) + (1 << 20);
    private ReadPreference readPreference = ReadPreference.PRIMARY;
    private Duration topologyRefreshInterval = Duration.ofSeconds(30);
    private int maxRedirects = 3;
    private Duration unavailableNodeBackoff = Duration.ofSeconds(5);
    private AckLevel ackLevel;
    private boolean sessionConsistency = true;

    private Builder() {}

    /**
     * One node, {@code HOST:PORT}; or a cluster registered in ZooKeeper, {@code
     * zk://HOST:PORT[,HOST:PORT...]/CLUSTER} (the ensemble, then the name the nodes were started
     * with, {@code --cluster}), whose members the client discovers and follows (see {@link
     * ClientOptions#coordinator()}). Either replaces any endpoint set before.
     */
    public Builder endpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (ZkEndpoint.isZk(endpoint)) {
        this.endpoints = List.of();
        this.coordinatorUrl = endpoint; // parsed (and checked) by build()
        return this;
      }
      return endpoints(List.of(endpoint));
    }

    /**
     * Several seed nodes, {@code HOST:PORT} each; see {@link ClientOptions#endpoints()}. Replaces a
     * {@code zk://} endpoint set before; a {@code zk://} endpoint stands alone ({@link
     * #endpoint(String)}).
     */
    public Builder endpoints(List<String> endpoints) {
      this.endpoints = List.copyOf(endpoints);
      this.coordinatorUrl = null;
      return this;
    }

    /** See {@link ClientOptions#coordinatorTimeout()}; must be positive. */
    public Builder coordinatorTimeout(Duration timeout) {
      this.coordinatorTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder deadline(Duration deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    public Builder scanDeadline(Duration scanDeadline) {
      this.scanDeadline = Objects.requireNonNull(scanDeadline, "scanDeadline");
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = Objects.requireNonNull(initial, "initial");
      this.maxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    public Builder retryWrites(boolean retryWrites) {
      this.retryWrites = retryWrites;
      return this;
    }

    /** See {@link ClientOptions#bearerToken()}; null: none. */
    public Builder bearerToken(String token) {
      if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
        throw new IllegalArgumentException("a bearer token is printable ASCII without spaces");
      }
      this.bearerToken = token;
      return this;
    }

    public Builder tls(TlsConfig tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    public Builder maxInboundMessageBytes(int bytes) {
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    public Builder readPreference(ReadPreference readPreference) {
      this.readPreference = Objects.requireNonNull(readPreference, "readPreference");
      return this;
    }

    /** Zero disables the background refresh. */
    public Builder topologyRefreshInterval(Duration interval) {
      this.topologyRefreshInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    public Builder maxRedirects(int maxRedirects) {
      this.maxRedirects = maxRedirects;
      return this;
    }

    public Builder unavailableNodeBackoff(Duration backoff) {
      this.unavailableNodeBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** See {@link ClientOptions#ackLevel()}; null sends none (the server's default applies). */
    public Builder ackLevel(AckLevel level) {
      this.ackLevel = level;
      return this;
    }

    /** See {@link ClientOptions#sessionConsistency()}. */
    public Builder sessionConsistency(boolean on) {
      this.sessionConsistency = on;
      return this;
    }

    /**
     * @throws IllegalArgumentException for no endpoint or a malformed one (a {@code zk://} one
     *     names the part that is wrong), a non-positive deadline or coordinator timeout, fewer than
     *     1 attempt, a negative backoff or a maximum below the initial one, a negative refresh
     *     interval, redirect bound or node backoff
     */
    public ClientOptions build() {
      coordinator = null;
      if (coordinatorUrl != null) {
        coordinator = ZkEndpoint.parse(coordinatorUrl);
        if (shard != null) {
          coordinator = coordinator.withShard(shard);
        }
      } else {
        if (endpoints.isEmpty()) {
          throw new IllegalArgumentException("at least one endpoint is needed");
        }
        for (String e : endpoints) {
          if (ZkEndpoint.isZk(e)) {
            throw new IllegalArgumentException(
                "a zk:// endpoint stands alone: pass it to endpoint(String), got " + endpoints);
          }
          parseEndpoint(e);
        }
      }
      positive("coordinatorTimeout", coordinatorTimeout);
      positive("deadline", deadline);
      positive("scanDeadline", scanDeadline);
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
      }
      if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "backoff must satisfy 0 <= initial <= max, got " + initialBackoff + ", " + maxBackoff);
      }
      notNegative("topologyRefreshInterval", topologyRefreshInterval);
      if (maxRedirects < 0) {
        throw new IllegalArgumentException("maxRedirects must be >= 0, got " + maxRedirects);
      }
      notNegative("unavailableNodeBackoff", unavailableNodeBackoff);
      if (maxInboundMessageBytes < 1) {
        throw new IllegalArgumentException(
            "maxInboundMessageBytes must be positive, got " + maxInboundMessageBytes);
      }
      return new ClientOptions(this);
    }

    private static void notNegative(String name, Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + d);
      }
    }

    private static void positive(String name, Duration d) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
    }
  }
}
