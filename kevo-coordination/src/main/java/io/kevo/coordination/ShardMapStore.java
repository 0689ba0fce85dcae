package io.kevo.coordination;

import java.util.Objects;
import java.util.Optional;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The sharded cluster's {@link ShardMap}, the {@code shard-map} znode at the cluster's root (JSON,
 * {@link ShardMapCodec}). It is created once ({@link #create}) and then only replaced by a
 * conditional write of the next version ({@link #replace}): ZooKeeper applies at most one write per
 * znode version, so of two changes made from the same map exactly one lands, and the map's version
 * (in the document) grows by one with each.
 *
 * <p>Thread-safe and stateless: every call reads or writes the ensemble.
 */
public final class ShardMapStore {
  /** The znode's name under the cluster's root. */
  public static final String ZNODE = "shard-map";

  /**
   * The largest map document written: ZooKeeper refuses a znode past its {@code jute.maxbuffer} (1
   * MiB less one byte by default), and every node and client reads the whole map on each change.
   * About 4,000 shards with 32-byte split points fit.
   */
  public static final int MAX_DOCUMENT_BYTES = 1_000_000;

  private final Coordinator coordinator;
  private final String path;

  /** The map of the coordinator's cluster (whichever shard group the session serves). */
  public ShardMapStore(Coordinator coordinator) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.path = coordinator.clusterPath(ZNODE);
  }

  /** The znode's path. */
  public String path() {
    return path;
  }

  /**
   * Writes the cluster's first map.
   *
   * @throws IllegalArgumentException if {@code map}'s version is not 1
   * @throws CoordinationException if the cluster has a map already (naming its version and shard
   *     count), or the ensemble cannot be written
   */
  public void create(ShardMap map) {
    if (map.version() != 1) {
      throw new IllegalArgumentException(
          "a cluster's first shard map has version 1, got " + map.version());
    }
    byte[] doc = encodeBounded(map);
    try {
      coordinator.client().create().creatingParentsIfNeeded().forPath(path, doc);
    } catch (KeeperException.NodeExistsException e) {
      String held =
          read()
              .map(m -> "version " + m.version() + ", " + m.shards().size() + " shards")
              .orElse("?");
      throw new CoordinationException(
          "cluster "
              + coordinator.options().cluster()
              + " already has a shard map ("
              + held
              + ") at "
              + path,
          e);
    } catch (Exception e) {
      throw new CoordinationException("cannot write " + path, e);
    }
  }

  /**
   * The cluster's map; empty if the cluster is not sharded (no map was ever created).
   *
   * @throws CoordinationException if the ensemble cannot be read or the znode holds no valid map
   */
  public Optional<ShardMap> read() {
    try {
      return Optional.of(ShardMapCodec.decode(coordinator.client().getData().forPath(path)));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (CoordinationException e) {
      throw new CoordinationException(e.getMessage() + " at " + path, e);
    } catch (Exception e) {
      throw new CoordinationException("cannot read " + path, e);
    }
  }

  /**
   * Replaces the map by {@code next} if the cluster still holds {@code seen}.
   *
   * @param seen the map the change was made from
   * @param next the changed map, of version {@code seen.version() + 1}
   * @throws ShardMapConflictException if the cluster's map is no longer {@code seen} (someone
   *     changed it meanwhile), carrying the map it holds now
   * @throws CoordinationException if the cluster has no map or the ensemble cannot be written
   */
  public void replace(ShardMap seen, ShardMap next) {
    if (next.version() != seen.version() + 1) {
      throw new IllegalArgumentException(
          "the next map after version "
              + seen.version()
              + " has version "
              + (seen.version() + 1)
              + ", got "
              + next.version());
    }
    byte[] doc = encodeBounded(next);
    try {
      Stat stat = new Stat();
      ShardMap current;
      try {
        current =
            ShardMapCodec.decode(coordinator.client().getData().storingStatIn(stat).forPath(path));
      } catch (KeeperException.NoNodeException e) {
        throw new CoordinationException(
            "cluster " + coordinator.options().cluster() + " has no shard map at " + path, e);
      }
      if (!current.equals(seen)) {
        throw new ShardMapConflictException(seen, current);
      }
      coordinator.client().setData().withVersion(stat.getVersion()).forPath(path, doc);
    } catch (KeeperException.BadVersionException e) {
      throw new ShardMapConflictException(seen, read().orElse(seen));
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot write " + path, e);
    }
  }

  /** A map and the znode version it was read at. */
  record Versioned(ShardMap map, int znodeVersion) {}

  /**
   * The cluster's map with its znode version, for a write made in one transaction with another
   * znode's ({@link ShardSplit}).
   *
   * @throws CoordinationException if the cluster has no map or the ensemble cannot be read
   */
  Versioned readVersioned() {
    try {
      Stat stat = new Stat();
      byte[] doc = coordinator.client().getData().storingStatIn(stat).forPath(path);
      return new Versioned(ShardMapCodec.decode(doc), stat.getVersion());
    } catch (KeeperException.NoNodeException e) {
      throw new CoordinationException(
          "cluster " + coordinator.options().cluster() + " has no shard map at " + path, e);
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot read " + path, e);
    }
  }

  static byte[] encodeBounded(ShardMap map) {
    byte[] doc = ShardMapCodec.encode(map);
    if (doc.length > MAX_DOCUMENT_BYTES) {
      throw new IllegalArgumentException(
          "a shard map of "
              + map.shards().size()
              + " shards takes "
              + doc.length
              + " bytes, more than the "
              + MAX_DOCUMENT_BYTES
              + " a ZooKeeper znode holds: use fewer shards or shorter split points");
    }
    return doc;
  }
}
