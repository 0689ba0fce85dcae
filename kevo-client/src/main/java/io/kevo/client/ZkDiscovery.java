package io.kevo.client;

import io.grpc.Status;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberCodec;
import io.kevo.coordination.MemberInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;

/**
 * Discovers a cluster's nodes from ZooKeeper for a {@code zk://} client: the members the nodes
 * register under {@code /kevo/clusters/NAME/members} (kevo-coordination's {@code MemberRegistry}),
 * kept in a Curator {@link CuratorCache} that watches the directory. Their client addresses become
 * the client's {@link Seeds}, the member reporting the primary role in the highest epoch ({@link
 * ClusterView#primaryMember()}) first and as the hint; whenever the addresses or the primary
 * change, the {@linkplain #onChange(Runnable) listener} is told (the client marks its topology
 * stale, so that the next call re-reads it, asking the new primary first). Changes of a member's
 * figures alone (its durable sequence moves with every write) change nothing here.
 *
 * <p>Routing itself stays with the {@link TopologyTracker}: a node's own {@code GetNodeInfo} answer
 * is the truth, ZooKeeper only says whom to ask. If the members directory empties or ZooKeeper
 * becomes unreachable, the last seeds are kept and the client goes on with the nodes it knows.
 *
 * <p>The session is this class's own read-only Curator client with the coordinator's timeouts; it
 * creates no znode. (kevo-coordination's {@code Coordinator} keeps its Curator client to its own
 * package, so a watch cannot be set through it.) Curator and ZooKeeper log through SLF4J and cannot
 * load without slf4j-api, which kevo-client keeps optional: {@link #start} checks for it first.
 *
 * <p>Thread-safe. Cache events arrive on Curator's thread, one at a time. {@link #close()} is
 * idempotent and throws nothing.
 */
final class ZkDiscovery implements AutoCloseable {
  private static final ClientLog LOG = ClientLog.of(ZkDiscovery.class);

  /** What {@link #start} says when slf4j-api is missing. */
  static final String NEEDS_SLF4J =
      "zk:// endpoints need slf4j-api on the class path (Apache Curator and ZooKeeper log through"
          + " SLF4J): add an SLF4J binding, e.g. org.slf4j:slf4j-simple or"
          + " ch.qos.logback:logback-classic (org.slf4j:slf4j-nop discards the logs)";

  private final ZkEndpoint endpoint;
  private final String membersPath;
  private final CuratorFramework curator;
  private final CuratorCache cache;
  private final CountDownLatch initialized = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object lock = new Object();
  // The readable members by znode path; written on Curator's event thread only.
  private final Map<String, MemberInfo> members = new ConcurrentHashMap<>();
  private volatile Runnable onChange = () -> {};
  // Guarded by lock; null until the cache first holds a member.
  private Seeds seeds;

  private ZkDiscovery(ZkEndpoint endpoint, CoordinatorOptions options) {
    this.endpoint = endpoint;
    this.membersPath = ZKPaths.makePath(options.groupPath(), "members");
    this.curator = reader(options);
    this.cache = CuratorCache.build(curator, membersPath);
    cache
        .listenable()
        .addListener(
            new CuratorCacheListener() {
              @Override
              public void event(Type type, ChildData oldData, ChildData data) {
                if (type == Type.NODE_DELETED) {
                  members.remove(oldData.getPath());
                } else if (isMember(data.getPath())) {
                  MemberInfo m = decode(data);
                  if (m != null) {
                    members.put(data.getPath(), m);
                  } else {
                    members.remove(data.getPath());
                  }
                }
                changed();
              }

              @Override
              public void initialized() {
                changed();
                initialized.countDown();
              }
            });
  }

  /** A Curator client (not started) that only reads {@code options}' ensemble. */
  static CuratorFramework reader(CoordinatorOptions options) {
    return CuratorFrameworkFactory.builder()
        .connectString(options.connectString())
        .sessionTimeoutMs(Math.toIntExact(options.sessionTimeout().toMillis()))
        .connectionTimeoutMs(Math.toIntExact(options.connectionTimeout().toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(100, 3, 1_000))
        // A reader follows the connect string it was given; without the tracker's background
        // read of the ensemble's configuration, an unreachable ensemble logs no error of its
        // own before start() reports it.
        .ensembleTracker(false)
        .build();
  }

  /**
   * Connects to {@code endpoint}'s ensemble and reads the cluster's members, waiting up to {@code
   * timeout} in all.
   *
   * @throws KevoClientException FAILED_PRECONDITION without slf4j-api; UNAVAILABLE if no ZooKeeper
   *     server answers within {@code timeout}, the members cannot be read within it, or the cluster
   *     has no member
   */
  static ZkDiscovery start(ZkEndpoint endpoint, Duration timeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!ClientLog.present("org.slf4j.LoggerFactory")) {
      throw new KevoClientException(Status.Code.FAILED_PRECONDITION, "", NEEDS_SLF4J, null);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    CoordinatorOptions options = endpoint.coordinatorOptions();
    ZkDiscovery d;
    try {
      d = new ZkDiscovery(endpoint, options);
    } catch (LinkageError e) {
      throw new KevoClientException(Status.Code.FAILED_PRECONDITION, "", NEEDS_SLF4J, e);
    }
    try {
      d.curator.start();
      if (!d.curator.blockUntilConnected(
          (int) Math.min(Integer.MAX_VALUE, millisLeft(deadline)), TimeUnit.MILLISECONDS)) {
        throw unavailable(
            "cannot reach the coordinator at "
                + options.connectString()
                + " ("
                + endpoint
                + ") within "
                + timeout.toMillis()
                + " ms: no ZooKeeper server answered");
      }
      d.cache.start();
      if (!d.initialized.await(millisLeft(deadline), TimeUnit.MILLISECONDS)) {
        throw unavailable(
            "cannot read the members of cluster "
                + options.cluster()
                + " from the coordinator at "
                + options.connectString()
                + " within "
                + timeout.toMillis()
                + " ms");
      }
      if (d.seeds() == null) {
        throw unavailable(
            "cluster "
                + options.cluster()
                + " has no members at "
                + endpoint
                + ": no Kevo node is registered under "
                + d.membersPath
                + " (are its nodes running with --coordinator "
                + options.connectString()
                + " --cluster "
                + options.cluster()
                + "?)");
      }
      LOG.debug("{}: seeds {}, primary {}", endpoint, d.seeds().all(), d.seeds().primaryHint());
      return d;
    } catch (InterruptedException e) {
      d.close();
      Thread.currentThread().interrupt();
      throw new KevoClientException(
          Status.Code.CANCELLED, "", "interrupted while reading " + endpoint, e);
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** The seeds read from the members, kept up to date; null before the first member was seen. */
  Seeds seeds() {
    synchronized (lock) {
      return seeds;
    }
  }

  /** The endpoint this discovery reads. */
  ZkEndpoint endpoint() {
    return endpoint;
  }

  /** Sets what runs (on Curator's thread; quick) when the seeds or the primary hint change. */
  void onChange(Runnable listener) {
    this.onChange = Objects.requireNonNull(listener, "listener");
  }

  /** Replaces the seeds if the members' addresses or the primary changed; tells the listener. */
  private void changed() {
    List<MemberInfo> now = members();
    if (now.isEmpty()) {
      if (seeds() != null) {
        LOG.warn("{}: no member is registered now; keeping the seeds {}", endpoint, seeds().all());
      }
      return;
    }
    Optional<MemberInfo> primary =
        new ClusterView(
                endpoint.connectString(),
                endpoint.cluster(),
                now,
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.empty())
            .primaryMember();
    Set<String> addresses = new LinkedHashSet<>();
    primary.ifPresent(p -> addresses.add(p.clientAddress()));
    now.forEach(m -> addresses.add(m.clientAddress()));
    Seeds.View next =
        new Seeds.View(List.copyOf(addresses), primary.map(MemberInfo::clientAddress).orElse(null));
    boolean changed;
    synchronized (lock) {
      if (seeds == null) {
        seeds = Seeds.of(next);
        changed = true;
      } else {
        changed = seeds.replace(next);
      }
    }
    if (changed) {
      LOG.info("{}: members {}, primary {}", endpoint, next.addresses(), next.primaryHint());
      try {
        onChange.run();
      } catch (RuntimeException e) {
        LOG.warn("{}: the change listener failed", endpoint, e);
      }
    }
  }

  /** The members seen, with a readable entry and a usable client address, by id. */
  List<MemberInfo> members() {
    List<MemberInfo> out = new ArrayList<>(members.values());
    out.sort(Comparator.comparing(MemberInfo::id));
    return out;
  }

  /** Whether {@code path} is a member's entry (the cache also holds the directory itself). */
  private boolean isMember(String path) {
    return membersPath.equals(ZKPaths.getPathAndNode(path).getPath());
  }

  /** The member a znode holds; null (with a warning) if unreadable or its address is unusable. */
  private MemberInfo decode(ChildData data) {
    try {
      MemberInfo m = MemberCodec.decode(data.getData());
      if (TopologyTracker.valid(m.clientAddress())) {
        return m;
      }
      LOG.warn("{}: member {} has a malformed address '{}'", endpoint, m.id(), m.clientAddress());
    } catch (CoordinationException | IllegalArgumentException | NullPointerException e) {
      LOG.warn("{}: unreadable member at {} ({})", endpoint, data.getPath(), e.toString());
    }
    return null;
  }

  private static long millisLeft(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static KevoClientException unavailable(String message) {
    return new KevoClientException(Status.Code.UNAVAILABLE, "", message, null);
  }

  /** Stops watching and ends the session; idempotent, throws nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the member cache of {} failed", endpoint, e);
      }
      try {
        curator.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the coordinator session of {} failed", endpoint, e);
      }
    }
  }
}
