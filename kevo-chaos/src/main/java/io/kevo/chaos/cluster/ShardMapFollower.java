package io.kevo.chaos.cluster;

import io.kevo.chaos.history.ShardLayout;
import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.ShardMapWatch;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness's own session to a sharded cluster's ZooKeeper: it writes the first shard map,
 * follows the map (a watch, so that clients route by a map at most milliseconds old) and lends the
 * session to the nemeses that split shards. It reaches ZooKeeper at its own port, not through a
 * node's proxy, so faults between the nodes and ZooKeeper do not blind it; a {@code zk-restart}
 * does, for its length (the session outlasts it, see {@link #SESSION_TIMEOUT}).
 *
 * <p>Each newer map is passed to a listener (the run records it in the history), on Curator's event
 * thread or the caller's of {@link #refresh()}. Thread-safe; {@link #close()} ends the watch and
 * the session and throws nothing.
 */
public final class ShardMapFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardMapFollower.class);

  /**
   * Long enough to outlast a {@code zk-restart} (at most 8 s), so that the harness keeps its
   * session; it holds no ephemeral record that would linger.
   */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);

  private final Coordinator coordinator;
  private final ShardMapStore store;
  private final Consumer<ShardMap> listener;
  private volatile ShardMap map;
  private ShardMapWatch watch;

  private ShardMapFollower(Coordinator coordinator, Consumer<ShardMap> listener) {
    this.coordinator = coordinator;
    this.store = new ShardMapStore(coordinator);
    this.listener = listener;
  }

  /**
   * Starts a session on {@code connectString}, writes {@code first} as cluster {@code cluster}'s
   * map and follows it; {@code listener} hears {@code first} and each newer map.
   *
   * @throws IllegalStateException if ZooKeeper cannot be reached within {@code timeout}
   * @throws CoordinationException if the cluster has a map already
   */
  public static ShardMapFollower create(
      String connectString,
      String cluster,
      ShardMap first,
      Duration timeout,
      Consumer<ShardMap> listener) {
    Coordinator c =
        Coordinator.start(
            CoordinatorOptions.of(connectString, cluster)
                .withTimeouts(SESSION_TIMEOUT, CoordinatorOptions.DEFAULT_CONNECTION_TIMEOUT));
    ShardMapFollower f = new ShardMapFollower(c, listener);
    try {
      if (!c.awaitLive(timeout)) {
        throw new IllegalStateException(
            "the harness reached no ZooKeeper at " + connectString + " within " + timeout);
      }
      f.store.create(first);
      f.offer(first);
      f.watch = ShardMapWatch.start(c, f::offer);
      return f;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /** The newest map seen. */
  public ShardMap map() {
    return map;
  }

  /**
   * Reads the map now (besides the watch), and returns the newest seen; on a read error, the newest
   * seen before.
   */
  public ShardMap refresh() {
    try {
      store.read().ifPresent(this::offer);
    } catch (CoordinationException e) {
      LOG.info("cannot read the shard map now: {}", e.getMessage());
    }
    return map();
  }

  /** The harness's session, for the nemeses that split shards (it must not be closed by them). */
  public Coordinator coordinator() {
    return coordinator;
  }

  /** {@code map} as a run's history records it. */
  public static ShardLayout layout(ShardMap map) {
    return new ShardLayout(map.version(), map.shards());
  }

  /** Takes {@code m} if it is newer than the map held, and tells the listener (in order). */
  private synchronized void offer(ShardMap m) {
    if (map == null || m.version() > map.version()) {
      map = m;
      LOG.info("shard map version {}: {}", m.version(), m.shards());
      listener.accept(m);
    }
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    coordinator.close();
  }
}
