package io.kevo.coordination;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the cluster's shard map: holds the newest map seen and tells a listener of each newer
 * one, on Curator's event thread. A map with a version at or below the one held is ignored (a
 * reconnect may replay an old state); an unreadable one is logged and ignored, so the last good map
 * stays in force.
 *
 * <p>Thread-safe. {@link #close()} stops watching and throws nothing.
 */
public final class ShardMapWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardMapWatch.class);

  /** What a watch tells; called on Curator's event thread, so quick and thread-safe. */
  public interface Listener {
    /** The cluster holds {@code map}, newer than any heard before. */
    void changed(ShardMap map);

    /** The cluster holds no map (never created, or deleted). */
    default void absent() {}
  }

  private final CuratorCache cache;
  private final String path;
  private final AtomicReference<ShardMap> current = new AtomicReference<>();
  private final Listener listener;

  private ShardMapWatch(CuratorFramework client, String path, Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.path = path;
    this.cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges((oldNode, node) -> seen(node))
                .forDeletes(oldNode -> gone())
                .forInitialized(
                    () -> {
                      if (cache.get(path).isEmpty()) {
                        gone();
                      }
                    })
                .build());
  }

  /**
   * Starts following the map of {@code coordinator}'s cluster; {@code listener} hears each newer
   * map, the first one included, and the map's absence.
   */
  public static ShardMapWatch start(Coordinator coordinator, Listener listener) {
    return start(coordinator.client(), coordinator.options(), listener);
  }

  /**
   * As {@link #start(Coordinator, Listener)}, on a started Curator client of the ensemble of {@code
   * options} (a client library's reader, which has no {@link Coordinator}).
   */
  public static ShardMapWatch start(
      CuratorFramework client, CoordinatorOptions options, Listener listener) {
    ShardMapWatch w = new ShardMapWatch(client, path(options), listener);
    w.cache.start();
    return w;
  }

  /** The map's znode in the cluster of {@code options}. */
  public static String path(CoordinatorOptions options) {
    return options.clusterPath() + "/" + ShardMapStore.ZNODE;
  }

  private void gone() {
    current.set(null); // a map created again later starts over at version 1
    listener.absent();
  }

  /** The newest map seen; null before the first. */
  public ShardMap current() {
    return current.get();
  }

  private void seen(ChildData node) {
    ShardMap map;
    try {
      map = ShardMapCodec.decode(node.getData());
    } catch (CoordinationException e) {
      LOG.error("ignoring an unreadable shard map at {}: {}", node.getPath(), e.getMessage());
      return;
    }
    ShardMap held =
        current.getAndAccumulate(map, (a, b) -> a == null || b.version() > a.version() ? b : a);
    if (held == null || map.version() > held.version()) {
      listener.changed(map);
    }
  }

  @Override
  public void close() {
    cache.close();
  }
}
