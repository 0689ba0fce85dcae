package io.kevo.client;

import io.grpc.ManagedChannel;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsRequest;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.wire.AckLevel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A client of a Kevo cluster ({@code kevo.KevoService}): a standalone node, or a primary and its
 * replicas. Thread-safe: share one client; each call is independent. {@link #close()} is idempotent
 * and throws nothing.
 *
 * <p><b>Where each call goes.</b> The client reads the topology ({@code GetNodeInfo}) from any of
 * the seed nodes ({@link ClientOptions#endpoints()}) at its first call, and again after a failure,
 * after a redirect and every {@link ClientOptions#topologyRefreshInterval()}; see {@link
 * #topology()}. A standalone node counts as a primary without replicas.
 *
 * <ul>
 *   <li>{@code put}, {@code delete}, {@code batch} (and their async forms) and {@link
 *       #beginTransaction(boolean) beginTransaction(false)}: the primary.
 *   <li>{@code get}, {@code getAsync}, {@code scan} and {@code beginTransaction(true)}: by {@link
 *       ClientOptions#readPreference()}. {@link ReadPreference#PRIMARY} (the default): the primary;
 *       {@link ReadPreference#PRIMARY_PREFERRED}: the primary, the replicas only while it is
 *       unreachable; {@link ReadPreference#REPLICA_PREFERRED}: the available replicas in turn, the
 *       primary if none can serve. Replicas lag: see {@link ReadPreference}.
 *   <li>Every call of a {@link ClientTransaction}, including commit and rollback: the node that
 *       began it (the primary, for a read-write transaction), and no other.
 *   <li>{@code stats}, {@code nodeInfo} and {@code compact}: the first seed, {@link #endpoint()}
 *       (they describe or maintain one node).
 * </ul>
 *
 * <p><b>Discovery through ZooKeeper.</b> With a {@code zk://HOST:PORT[,HOST:PORT...]/CLUSTER}
 * endpoint ({@link #connect(String)}, {@link ClientOptions.Builder#endpoint(String)}), the client
 * reads the members the cluster's nodes register with the coordinator ({@code kevo server
 * --coordinator HOST:PORT --cluster CLUSTER}) and watches them: their client addresses are the
 * seeds, and the member reporting the primary role is asked first. When a member comes or goes or
 * another member becomes the primary (an automatic failover), the client re-reads the topology
 * before its next call, from the new primary first, so writes follow a failover with nothing for
 * the application to do. The topology a node reports ({@code GetNodeInfo}) and its redirects still
 * decide where calls go; ZooKeeper only says whom to ask, and if it becomes unreachable the client
 * goes on with the nodes it knows. {@link #connect(ClientOptions)} fails at once if no ZooKeeper
 * server answers within {@link ClientOptions#coordinatorTimeout()} or the cluster has no member.
 * Curator and ZooKeeper log through SLF4J: a program using {@code zk://} needs slf4j-api on its
 * class path (any SLF4J binding brings it).
 *
 * <p><b>Sharded clusters.</b> If the {@code zk://} cluster has a shard map ({@code kevo cluster
 * init}, docs/SHARDING.md), the client routes each key's call to its shard's replication group,
 * through a client of that group ({@link #shard(byte[])}), follows changes of the map, and scans
 * across shards in key order. A batch must lie in one shard; transactions and the calls about one
 * group are made on {@code shard(key)}.
 *
 * <p>Until the topology is known (the seeds did not answer {@code GetNodeInfo}) everything goes to
 * the first seed that is not down. A write that reaches a replica is refused with {@code
 * FAILED_PRECONDITION} and the primary's address in a {@code kevo-primary} trailer: the client
 * sends it there (nothing was applied, so this is safe for any call, transactions included), up to
 * {@link ClientOptions#maxRedirects()} times, and re-reads the topology. More redirects than that
 * (e.g. two nodes naming each other) end in a {@link KevoClientException} with code {@code
 * FAILED_PRECONDITION} and the chain of nodes in its message. A node that fails with {@code
 * UNAVAILABLE} is passed over for {@link ClientOptions#unavailableNodeBackoff()} wherever another
 * node can serve the call; if the failed call was routed (not a transaction's or an admin call,
 * which cannot go elsewhere), the topology is re-read from a node that is up before the next routed
 * attempt, so a retry of a read or a write lands on the node the refreshed topology names. Scans
 * are routed like {@code get} but do not follow redirects (replicas serve reads).
 *
 * <p><b>Failures</b> are {@link KevoClientException}s carrying the gRPC status code and the
 * server's message; a transaction conflict is a {@link TransactionConflictException}.
 *
 * <p><b>Deadlines.</b> Each attempt of a unary call (and each redirect it follows) gets {@link
 * ClientOptions#deadline()}; a scan stream and a compaction get {@link
 * ClientOptions#scanDeadline()} in all.
 *
 * <p><b>Retries.</b> A call that is safe to redo is retried on {@code UNAVAILABLE} with exponential
 * backoff ({@link ClientOptions#maxAttempts()}), each attempt routed afresh (so a read whose
 * replica went down is redone on another node): {@code Get}, {@code Scan} (until it has delivered a
 * pair), {@code GetStats}, {@code GetNodeInfo}, and also {@code Put}, {@code Delete} and {@code
 * BatchWrite} unless {@link ClientOptions#retryWrites()} is off. The writes are idempotent by
 * value: applying the same put, delete or batch twice leaves the same state as applying it once, so
 * an attempt that reached the server before the connection failed does no harm when redone. (If
 * another client writes the same key between the two attempts, the redo overwrites it, exactly as
 * if the first attempt had simply arrived late: last writer wins.) Transaction calls are never
 * retried: a transaction is server-side state, and a lost commit answer cannot be told from a
 * failed commit. {@code Compact} is not retried either: it is long and not worth repeating.
 *
 * <p><b>Acknowledgement levels and read-your-writes.</b> Every write can name how many replicas
 * must have made it durable before it returns ({@link WriteSpec}, {@link AckLevel}; default {@link
 * ClientOptions#ackLevel()}, else the server's) and returns its commit sequence ({@link
 * WriteResult}); a level not met in time fails with {@link ReplicationTimeoutException} (the write
 * is committed on the primary). With {@link ClientOptions#sessionConsistency()} (the default) the
 * client is one session: reads carry the highest sequence it wrote or read ({@link
 * #sessionSequence()}), and a replica that has not applied it answers only once it has, or refuses,
 * and the read is sent to the primary.
 *
 * <p><b>Defaults that never surprise.</b> A client reads its own writes with no option set: reads
 * go to the primary, and the session carries the client's position wherever they go. {@code
 * ClientOptions.builder().readPreference(ReadPreference.REPLICA_PREFERRED)} spreads reads over the
 * replicas and keeps that guarantee; reads of other clients' writes may then trail the primary by
 * the replicas' lag. See {@link ClientOptions} for why.
 */
public final class KevoClient implements AutoCloseable {
  private static final ClientLog LOG = ClientLog.of(KevoClient.class);

  private final ClientOptions options;
  private final ScheduledExecutorService scheduler;
  private final Retrier retrier;
  private final NodePool pool;
  private final ZkDiscovery discovery; // null without a zk:// endpoint
  private final Seeds seeds;
  private final TopologyTracker tracker;
  private final Router router;
  private final Consistency consistency;
  private final ClientReads reads;
  private final ClientWrites writes;
  private final ShardedCalls sharded; // null unless the zk:// cluster is sharded
  private final AtomicBoolean closed = new AtomicBoolean();

  private KevoClient(ClientOptions options, Clock clock, ZkDiscovery discovery) {
    this.options = options;
    this.discovery = discovery;
    this.seeds = discovery != null ? discovery.seeds() : Seeds.of(options.endpoints());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-client-retry");
              t.setDaemon(true);
              return t;
            });
    this.retrier = new Retrier(options, scheduler);
    this.pool = new NodePool(options);
    this.tracker = new TopologyTracker(options, seeds, pool, clock);
    this.router = new Router(options, seeds, pool, tracker);
    if (discovery != null) {
      discovery.onChange(tracker::seedsChanged);
    }
    this.consistency = new Consistency(options);
    this.reads = new ClientReads(options, retrier, router, consistency);
    this.writes = new ClientWrites(options, retrier, router, consistency);
    this.sharded = null;
  }

  /** A routing client of a sharded cluster: every call goes through {@code routing}. */
  private KevoClient(ClientOptions options, ShardRouting routing) {
    this.options = options;
    this.sharded = new ShardedCalls(routing, options.retryWrites());
    this.discovery = null;
    this.seeds = null;
    this.scheduler = null;
    this.retrier = null;
    this.pool = null;
    this.tracker = null;
    this.router = null;
    this.consistency = null;
    this.reads = null;
    this.writes = null;
  }

  /**
   * A client for the cluster {@code options}' endpoints belong to. Connecting to the nodes is lazy:
   * an unreachable node shows up as {@code UNAVAILABLE} on the first call, not here. With a {@code
   * zk://} endpoint ({@link ClientOptions#coordinator()}) the cluster's members are read here, and
   * watched until {@link #close()}.
   *
   * @throws KevoClientException with a {@code zk://} endpoint: {@code UNAVAILABLE} if no ZooKeeper
   *     server answered within {@link ClientOptions#coordinatorTimeout()} ("cannot reach the
   *     coordinator at ..."), or the cluster has no member; {@code FAILED_PRECONDITION} if
   *     slf4j-api is not on the class path
   */
  public static KevoClient connect(ClientOptions options) {
    return connect(options, Clock.systemUTC());
  }

  /** {@link #connect(ClientOptions)} with another clock (for tests). */
  static KevoClient connect(ClientOptions options, Clock clock) {
    Objects.requireNonNull(options, "options");
    LOG.debug("client with {}", options);
    if (options.zkEndpoint() != null && options.zkEndpoint().shard() == null) {
      ShardRouting routing = ShardRouting.openIfSharded(options);
      if (routing != null) {
        return new KevoClient(options, routing);
      }
    }
    ZkDiscovery discovery =
        options.zkEndpoint() == null
            ? null
            : ZkDiscovery.start(options.zkEndpoint(), options.coordinatorTimeout());
    try {
      return new KevoClient(options, clock, discovery);
    } catch (RuntimeException | Error e) {
      if (discovery != null) {
        discovery.close();
      }
      throw e;
    }
  }

  /**
   * A client with the default options for {@code endpoint}: a node's {@code HOST:PORT}, or a
   * cluster's {@code zk://HOST:PORT[,HOST:PORT...]/CLUSTER} (see the class comment).
   *
   * @throws IllegalArgumentException if {@code endpoint} is malformed (the message names the part)
   * @throws KevoClientException as {@link #connect(ClientOptions)}
   */
  public static KevoClient connect(String endpoint) {
    return connect(ClientOptions.forEndpoint(endpoint));
  }

  /**
   * The first seed node, {@code HOST:PORT}: where the admin calls go. With a {@code zk://}
   * endpoint, the member ZooKeeper names as the primary (else the first member by id) as last
   * reported, so it may change.
   */
  public String endpoint() {
    perGroup("endpoint()");
    return seeds.first();
  }

  public ClientOptions options() {
    return options;
  }

  /**
   * What the client currently knows of the cluster: an immutable snapshot, not refreshed by this
   * call. Before the first call it knows nothing ({@link Topology#refreshedAt()} is null).
   */
  public Topology topology() {
    perGroup("topology()");
    return tracker.snapshot();
  }

  /**
   * Re-reads the topology now from the first known node that answers (blocking, up to {@link
   * ClientOptions#deadline()} per node asked) and returns it; keeps the previous one if no node
   * answers.
   */
  public Topology refreshTopology() {
    if (closed.get()) {
      throw new KevoClientException(io.grpc.Status.Code.UNAVAILABLE, "the client is closed", null);
    }
    perGroup("refreshTopology()");
    return tracker.refresh();
  }

  /** The value of {@code key}, or empty if absent. An empty array is a value, not an absence. */
  public Optional<byte[]> get(byte[] key) {
    if (sharded != null) {
      return sharded.get(key);
    }
    return reads.get(key);
  }

  /** {@link #get} without blocking. */
  public CompletableFuture<Optional<byte[]>> getAsync(byte[] key) {
    if (sharded != null) {
      return sharded.getAsync(key);
    }
    return reads.getAsync(key);
  }

  /** Stores {@code value} (possibly empty) under {@code key}, without forcing it to disk. */
  public void put(byte[] key, byte[] value) {
    put(key, value, false);
  }

  /**
   * Stores {@code value} (possibly empty) under {@code key}.
   *
   * @param sync whether the server syncs its log before answering
   */
  public void put(byte[] key, byte[] value, boolean sync) {
    put(key, value, WriteSpec.sync(sync));
  }

  /**
   * Stores {@code value} (possibly empty) under {@code key} as {@code spec} says; returns its
   * commit sequence.
   *
   * @throws ReplicationTimeoutException if the acknowledgement level was not met in time (the write
   *     is committed on the primary)
   */
  public WriteResult put(byte[] key, byte[] value, WriteSpec spec) {
    if (sharded != null) {
      return sharded.put(key, value, spec);
    }
    return writes.put(key, value, spec);
  }

  /** {@link #put(byte[], byte[], boolean)} without blocking. */
  public CompletableFuture<Void> putAsync(byte[] key, byte[] value, boolean sync) {
    return putAsync(key, value, WriteSpec.sync(sync)).thenAccept(r -> {});
  }

  /** {@link #put(byte[], byte[], WriteSpec)} without blocking. */
  public CompletableFuture<WriteResult> putAsync(byte[] key, byte[] value, WriteSpec spec) {
    if (sharded != null) {
      return sharded.putAsync(key, value, spec);
    }
    return writes.putAsync(key, value, spec);
  }

  /** Deletes {@code key} without forcing it to disk; deleting an absent key is not an error. */
  public void delete(byte[] key) {
    delete(key, false);
  }

  /**
   * Deletes {@code key}; deleting an absent key is not an error.
   *
   * @param sync whether the server syncs its log before answering
   */
  public void delete(byte[] key, boolean sync) {
    delete(key, WriteSpec.sync(sync));
  }

  /**
   * Deletes {@code key} as {@code spec} says; returns the tombstone's commit sequence.
   *
   * @throws ReplicationTimeoutException if the acknowledgement level was not met in time
   */
  public WriteResult delete(byte[] key, WriteSpec spec) {
    if (sharded != null) {
      return sharded.delete(key, spec);
    }
    return writes.delete(key, spec);
  }

  /** {@link #delete(byte[], boolean)} without blocking. */
  public CompletableFuture<Void> deleteAsync(byte[] key, boolean sync) {
    return deleteAsync(key, WriteSpec.sync(sync)).thenAccept(r -> {});
  }

  /** {@link #delete(byte[], WriteSpec)} without blocking. */
  public CompletableFuture<WriteResult> deleteAsync(byte[] key, WriteSpec spec) {
    if (sharded != null) {
      return sharded.deleteAsync(key, spec);
    }
    return writes.deleteAsync(key, spec);
  }

  /** Applies {@code ops} atomically (all or none), without forcing them to disk. */
  public void batch(List<Op> ops) {
    batch(ops, false);
  }

  /**
   * Applies {@code ops} atomically, in order (a later op on the same key wins).
   *
   * @param sync whether the server syncs its log before answering
   */
  public void batch(List<Op> ops, boolean sync) {
    batch(ops, WriteSpec.sync(sync));
  }

  /**
   * Applies {@code ops} atomically, in order, as {@code spec} says; returns the commit sequence of
   * its last operation.
   *
   * @throws ReplicationTimeoutException if the acknowledgement level was not met in time
   */
  public WriteResult batch(List<Op> ops, WriteSpec spec) {
    if (sharded != null) {
      return sharded.batch(ops, spec);
    }
    return writes.batch(ops, spec);
  }

  /** {@link #batch(List, boolean)} without blocking. */
  public CompletableFuture<Void> batchAsync(List<Op> ops, boolean sync) {
    return batchAsync(ops, WriteSpec.sync(sync)).thenAccept(r -> {});
  }

  /** {@link #batch(List, WriteSpec)} without blocking. */
  public CompletableFuture<WriteResult> batchAsync(List<Op> ops, WriteSpec spec) {
    if (sharded != null) {
      return sharded.batchAsync(ops, spec);
    }
    return writes.batchAsync(ops, spec);
  }

  /**
   * The highest commit sequence this client wrote or read so far (0 before any): in session mode
   * ({@link ClientOptions#sessionConsistency()}) reads see at least this.
   */
  public long sessionSequence() {
    perGroup("sessionSequence()");
    return consistency.position();
  }

  /**
   * Moves the session to at least {@code sequence} (e.g. a {@link WriteResult#sequence()} another
   * client handed over), so that this client's reads see that write too.
   */
  public void observeSequence(long sequence) {
    perGroup("observeSequence()");
    consistency.observe(sequence);
  }

  /**
   * Streams the live pairs {@code spec} selects, in ascending key order. Close the result (it
   * cancels the call if unfinished).
   */
  public KevoScan scan(ScanSpec spec) {
    if (sharded != null) {
      return sharded.scan(spec);
    }
    return reads.scan(spec);
  }

  /** The node's counters (keys, storage, operations, latencies, recovery). */
  public GetStatsResponse stats() {
    perGroup("stats()");
    GetStatsRequest req = GetStatsRequest.getDefaultInstance();
    return retrier.call("GetStats", true, () -> onHome(n -> stub(n).getStats(req)));
  }

  /** The node's role, last sequence, version and replicas. */
  public GetNodeInfoResponse nodeInfo() {
    perGroup("nodeInfo()");
    GetNodeInfoRequest req = GetNodeInfoRequest.getDefaultInstance();
    return retrier.call("GetNodeInfo", true, () -> onHome(n -> stub(n).getNodeInfo(req)));
  }

  /** Flushes and compacts the whole key range on the server; waits until it is done. */
  public void compact() {
    perGroup("compact()");
    CompactRequest req = CompactRequest.newBuilder().setForce(true).build();
    boolean ok =
        retrier
            .call(
                "Compact",
                false,
                () -> onHome(n -> n.blocking(options.scanDeadline()).compact(req)))
            .getSuccess();
    ClientWrites.checkSuccess("Compact", ok);
  }

  /**
   * Begins a transaction: a read-write one on the primary, a read-only one where reads go (see the
   * class comment); all its calls go to that node. Close it (try-with-resources): an unfinished one
   * is rolled back. The server forgets transactions left idle (30 s by default).
   *
   * @param readOnly whether writes are refused (a read-only transaction never conflicts)
   */
  public ClientTransaction beginTransaction(boolean readOnly) {
    return beginTransaction(readOnly ? TransactionSpec.READ_ONLY : TransactionSpec.READ_WRITE);
  }

  /**
   * Begins a transaction as {@code spec} says: read-only or read-write, and for a read-write one
   * optimistic, pessimistic (keys locked until it ends; see {@link TransactionMode}) or the
   * server's default. Routed and closed as {@link #beginTransaction(boolean)}.
   */
  public ClientTransaction beginTransaction(TransactionSpec spec) {
    Objects.requireNonNull(spec, "spec");
    perGroup("beginTransaction()");
    return ClientTransaction.begin(this, spec);
  }

  /**
   * The client of the replication group that serves {@code key}: in a sharded cluster ({@code
   * zk://} endpoint with a shard map, see docs/SHARDING.md) the group client of the key's shard in
   * the map this client holds, connected on first use and closed with this client; otherwise this
   * client. Calls about one group go through it: transactions (a transaction spans one shard),
   * {@link #stats()}, {@link #nodeInfo()}, {@link #compact()}, {@link #topology()} and the session
   * position.
   */
  public KevoClient shard(byte[] key) {
    return sharded == null ? this : sharded.routing().groupOf(key);
  }

  /**
   * Whether this client routes by key over a sharded cluster's shards (a {@code zk://} endpoint of
   * a cluster with a shard map); its calls about one group are then made on {@link #shard}.
   */
  public boolean isSharded() {
    return sharded != null;
  }

  /**
   * Refuses {@code call} on a routing client: it is about one replication group, and a sharded
   * cluster has one per shard.
   */
  private void perGroup(String call) {
    if (sharded != null) {
      throw new KevoClientException(
          io.grpc.Status.Code.FAILED_PRECONDITION,
          call
              + " is about one replication group, and cluster "
              + options.zkEndpoint().cluster()
              + " is sharded: call it on a shard's client, KevoClient.shard(key)",
          null);
    }
  }

  /**
   * Stops background refreshes and every channel, waiting up to 5 s for calls in flight.
   * Idempotent; throws nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (sharded != null) {
      sharded.routing().close();
      return;
    }
    if (discovery != null) {
      discovery.close();
    }
    tracker.close();
    scheduler.shutdownNow();
    pool.close();
    if (options.tls() instanceof FileTls files) {
      files.close(); // stops watching its files; TlsConfig.files says the client owns them
    }
  }

  // Package-private plumbing for ClientTransaction and the tests.

  /** A blocking stub for one attempt of a unary call to {@code node}. */
  KevoServiceGrpc.KevoServiceBlockingStub stub(Node node) {
    return node.blocking(options.deadline());
  }

  Router router() {
    return router;
  }

  TopologyTracker tracker() {
    return tracker;
  }

  Consistency consistency() {
    return consistency;
  }

  Retrier retrier() {
    return retrier;
  }

  /** The seed nodes now: the endpoints given, or the members ZooKeeper lists. */
  List<String> seeds() {
    return seeds.all();
  }

  /** The channels made so far, by node address. */
  Map<String, ManagedChannel> channels() {
    return pool.channels();
  }

  private <T> T onHome(Function<Node, T> rpc) {
    return router.callOn(router.home(), rpc);
  }
}
