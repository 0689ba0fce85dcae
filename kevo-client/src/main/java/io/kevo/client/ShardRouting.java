package io.kevo.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapCodec;
import io.kevo.coordination.ShardMapWatch;
import io.kevo.coordination.ShardRange;
import io.kevo.wire.WireMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * A routing client's view of a sharded cluster (issue 20, docs/SHARDING.md): the shard map,
 * followed through ZooKeeper, and one group client per shard ({@link KevoClient} on the shard's
 * replication group, connected on first use), to which each key's call goes ({@link #route}).
 *
 * <p>A node refuses a key its shard no longer owns with {@code FAILED_PRECONDITION} and the version
 * of its map ({@code kevo-shard-map-version}); nothing of the call was done, so it is safe to send
 * again. When that version is newer than the client's map, the client reads the map and sends the
 * call to the new owner at once; if that map is not published yet (a shard splitting refuses its
 * moving keys naming the version that will give them away), it waits its retry backoff first. When
 * the version is not newer, the node lags behind the client: the client waits its backoff, reads
 * the map again and retries. A call safe to redo that its group client gave up with {@code
 * UNAVAILABLE} (a shard without a primary for now, as a new shard is right after a split) is sent
 * again after the backoff too. At most {@link #MAX_REROUTES} times.
 *
 * <p>The map is read and watched with a Curator client of its own that only reads (as {@link
 * ZkDiscovery}'s), so that an unreachable ensemble is one clear error, not a log of stack traces.
 *
 * <p>Thread-safe. {@link #close()} closes every group client and the ZooKeeper session, and throws
 * nothing.
 */
final class ShardRouting implements AutoCloseable {
  private static final ClientLog LOG = ClientLog.of(ShardRouting.class);

  /**
   * How many times one call is sent again after a node said its key is another shard's; with the
   * client's backoff before each resend to a lagging node ({@link ClientOptions#initialBackoff()},
   * 100 ms doubling by default), a node's watch has about 3 s to deliver a new map.
   */
  static final int MAX_REROUTES = 5;

  private final ClientOptions options;
  private final CuratorFramework curator;
  private final String mapPath;
  private final ShardMapWatch watch;
  private final AtomicReference<ShardMap> map;
  private final Map<String, KevoClient> groups = new ConcurrentHashMap<>();

  private ShardRouting(
      ClientOptions options, CuratorFramework curator, CoordinatorOptions zk, ShardMap first) {
    this.options = options;
    this.curator = curator;
    this.mapPath = ShardMapWatch.path(zk);
    this.map = new AtomicReference<>(first);
    this.watch = ShardMapWatch.start(curator, zk, this::newer);
  }

  /**
   * The routing of {@code options}' {@code zk://} cluster if it is sharded; null if it is not (no
   * shard map), after closing the session it used to find out.
   *
   * @throws KevoClientException FAILED_PRECONDITION without slf4j-api; UNAVAILABLE if no ZooKeeper
   *     server answers within {@link ClientOptions#coordinatorTimeout()}, or the map cannot be read
   */
  static ShardRouting openIfSharded(ClientOptions options) {
    ZkEndpoint endpoint = options.zkEndpoint();
    if (!ClientLog.present("org.slf4j.LoggerFactory")) {
      throw new KevoClientException(
          Status.Code.FAILED_PRECONDITION, "", ZkDiscovery.NEEDS_SLF4J, null);
    }
    CoordinatorOptions zk = endpoint.coordinatorOptions();
    CuratorFramework c;
    try {
      c = ZkDiscovery.reader(zk);
    } catch (LinkageError e) {
      throw new KevoClientException(
          Status.Code.FAILED_PRECONDITION, "", ZkDiscovery.NEEDS_SLF4J, e);
    }
    try {
      c.start();
      long wait = options.coordinatorTimeout().toMillis();
      if (!c.blockUntilConnected((int) Math.min(Integer.MAX_VALUE, wait), TimeUnit.MILLISECONDS)) {
        throw new KevoClientException(
            Status.Code.UNAVAILABLE,
            "cannot reach the coordinator at "
                + endpoint.connectString()
                + " ("
                + endpoint
                + ") within "
                + wait
                + " ms: no ZooKeeper server answered",
            null);
      }
      ShardMap first = read(c, ShardMapWatch.path(zk));
      if (first == null) {
        c.close();
        return null;
      }
      LOG.debug(
          "{}: sharded, {} shards, map version {}",
          endpoint,
          first.shards().size(),
          first.version());
      return new ShardRouting(options, c, zk, first);
    } catch (InterruptedException e) {
      c.close();
      Thread.currentThread().interrupt();
      throw new KevoClientException(Status.Code.CANCELLED, "interrupted", e);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * The map at {@code path}; null if there is none.
   *
   * @throws KevoClientException UNAVAILABLE if it cannot be read
   */
  private static ShardMap read(CuratorFramework c, String path) {
    try {
      return ShardMapCodec.decode(c.getData().forPath(path));
    } catch (KeeperException.NoNodeException e) {
      return null;
    } catch (CoordinationException e) {
      throw new KevoClientException(
          Status.Code.UNAVAILABLE,
          "cannot read the shard map at " + path + ": " + e.getMessage(),
          e);
    } catch (Exception e) {
      throw new KevoClientException(
          Status.Code.UNAVAILABLE, "cannot read the shard map at " + path + ": " + e, e);
    }
  }

  /** The map in force. */
  ShardMap map() {
    return map.get();
  }

  private void newer(ShardMap m) {
    map.accumulateAndGet(m, (held, next) -> next.version() > held.version() ? next : held);
  }

  /** The group client of the shard that owns {@code key}. */
  KevoClient groupOf(byte[] key) {
    return group(map.get().ownerOf(key).id());
  }

  /** The group client of shard {@code id}, connected on first use. */
  KevoClient group(String id) {
    return groups.computeIfAbsent(id, s -> KevoClient.connect(options.forShard(s)));
  }

  /**
   * Runs {@code call} on the group client of {@code key}'s owner, sending it again to the owner a
   * newer map names when a node refuses the key as another shard's.
   */
  <T> T route(byte[] key, boolean redoable, Function<KevoClient, T> call) {
    for (int attempt = 0; ; attempt++) {
      KevoClient group = groupOf(key);
      try {
        return call.apply(group);
      } catch (KevoClientException e) {
        if (attempt < MAX_REROUTES && electing(e, redoable)) {
          group.retrier().pause("Route", attempt + 1, e);
          continue;
        }
        long version = refusedMapVersion(e);
        if (version < 0 || attempt >= MAX_REROUTES) {
          throw e;
        }
        if (!nodeLags(version)) {
          reread();
          if (holds(version)) {
            continue; // the map the node named is here: send to its owner at once
          }
          // The node named a map not published yet: a split is flipping. Wait, then read again.
        }
        group.retrier().pause("Route", attempt + 1, e);
        reread();
      }
    }
  }

  /**
   * Whether a call that its group client gave up with {@code e} is sent to the shard again after
   * the backoff: {@code UNAVAILABLE} (the shard has no primary for now: a new shard electing its
   * first after a split, or a failover) for a call safe to redo. The group client's own attempts
   * span a few hundred milliseconds; with these, a routed call rides out about 3 s of election.
   */
  static boolean electing(KevoClientException e, boolean redoable) {
    return redoable && e.code() == Status.Code.UNAVAILABLE;
  }

  /**
   * The one shard that owns every key of {@code keys} (a batch).
   *
   * @throws KevoClientException FAILED_PRECONDITION naming the shards, if the keys belong to more
   *     than one (nothing is sent)
   */
  String soleOwner(List<byte[]> keys) {
    ShardMap m = map.get();
    Set<String> owners = new LinkedHashSet<>();
    for (byte[] k : keys) {
      owners.add(m.ownerOf(k).id());
    }
    if (owners.size() > 1) {
      throw new KevoClientException(
          Status.Code.FAILED_PRECONDITION,
          "a batch spans one shard only, and these keys belong to shards "
              + String.join(", ", owners)
              + " (shard map version "
              + m.version()
              + "); nothing was sent",
          null);
    }
    return owners.iterator().next();
  }

  /**
   * The parts of a scan of {@code [from, to)} ({@code to} null: no upper bound), one per shard it
   * overlaps, in key order: each the shard and the scan's range clipped to the shard's.
   */
  List<Part> parts(byte[] from, byte[] to) {
    List<Part> parts = new ArrayList<>();
    for (ShardRange r : map.get().shards()) {
      byte[] start = r.start();
      byte[] end = r.end();
      boolean beforeScan = end != null && Arrays.compareUnsigned(end, from) <= 0;
      boolean afterScan = to != null && Arrays.compareUnsigned(start, to) >= 0;
      if (beforeScan || afterScan) {
        continue;
      }
      byte[] partStart = Arrays.compareUnsigned(start, from) > 0 ? start : from;
      byte[] partEnd;
      if (end == null) {
        partEnd = to;
      } else if (to == null) {
        partEnd = end;
      } else {
        partEnd = Arrays.compareUnsigned(end, to) < 0 ? end : to;
      }
      parts.add(new Part(r.id(), partStart, partEnd));
    }
    return parts;
  }

  /** One shard's part of a scan: {@code [start, end)}, {@code end} null for no upper bound. */
  record Part(String shard, byte[] start, byte[] end) {}

  /**
   * The map version a node named when it refused a key as another shard's, or -1 if {@code e} is
   * not that refusal.
   */
  static long refusedMapVersion(KevoClientException e) {
    if (e.code() != Status.Code.FAILED_PRECONDITION) {
      return -1;
    }
    Metadata trailers = Status.trailersFromThrowable(e);
    String v = trailers == null ? null : trailers.get(WireMetadata.SHARD_MAP_VERSION);
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException bad) {
      return -1;
    }
  }

  /**
   * Whether a node that refused a key judged by a map no newer than the client's: it is behind (its
   * watch has not delivered the newer map yet), so the call waits the client's backoff before it is
   * sent again.
   */
  boolean nodeLags(long seen) {
    long held = map.get().version();
    LOG.debug("a node judged by shard map version {}; this client holds {}", seen, held);
    return seen <= held;
  }

  /** Whether this client's map is at least version {@code version}. */
  boolean holds(long version) {
    return map.get().version() >= version;
  }

  /** Reads the map now (a node named a newer one, or lags behind this client's). */
  void reread() {
    ShardMap now = read(curator, mapPath);
    if (now != null) {
      newer(now);
    }
  }

  @Override
  public void close() {
    watch.close();
    for (KevoClient g : groups.values()) {
      g.close();
    }
    curator.close();
  }
}
