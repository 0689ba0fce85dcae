package io.kevo.coordination;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the coordinator is and how long a session lives. Immutable; validated on construction.
 *
 * <p>The defaults are chosen for issue 17's failover bar (write unavailability p50 ≤ 3 s, max ≤ 6 s
 * after a kill -9 of the primary): a dead primary's session expires {@link
 * #DEFAULT_SESSION_TIMEOUT} (4 s) after its last heartbeat, the replicas' leader-latch watch fires
 * at once, and the promotion itself is well under a second, so the worst case stays under 6 s.
 * Curator suspends a connection after two thirds of the session timeout without a heartbeat answer,
 * so a cut-off primary stops acknowledging writes within about 2.7 s, before its session (and so
 * its leadership) can expire on the ensemble. Shorter sessions would flap under a slow coordinator
 * or a long GC pause; ZooKeeper's default minimum (2 ticks of 2 s) is also 4 s. The connection
 * timeout (2 s) bounds one connection attempt, half a session, so a client tries a second server of
 * the ensemble before its session can expire.
 *
 * @param connectString {@code HOST:PORT[,HOST:PORT...]}, the ensemble
 * @param cluster the cluster's name; every znode lives under {@code /kevo/clusters/NAME}
 * @param sessionTimeout the ZooKeeper session timeout the client asks for (the server may bound it)
 * @param connectionTimeout how long one connection attempt may take
 * @param shard in a sharded cluster, the shard whose replication group this session serves (its
 *     records live under {@code /kevo/clusters/NAME/shards/ID}); null in an unsharded cluster,
 *     whose one group's records live at the cluster's root
 */
public record CoordinatorOptions(
    String connectString,
    String cluster,
    Duration sessionTimeout,
    Duration connectionTimeout,
    String shard) {

  /** The session timeout unless set; see the class javadoc for why 4 s. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(4);

  /** The connection timeout unless set; see the class javadoc for why 2 s. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  private static final Pattern ENSEMBLE =
      Pattern.compile("[^,:/\\s]+:\\d{1,5}(,[^,:/\\s]+:\\d{1,5})*");
  private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /** Checks every field. */
  public CoordinatorOptions {
    Objects.requireNonNull(connectString, "connectString");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    if (!ENSEMBLE.matcher(connectString).matches()) {
      throw new IllegalArgumentException(
          "coordinator must be HOST:PORT[,HOST:PORT...], got '" + connectString + "'");
    }
    if (!CLUSTER.matcher(cluster).matches()) {
      throw new IllegalArgumentException(
          "cluster name must be 1-64 of letters, digits, '_', '.', '-' (not leading), got '"
              + cluster
              + "'");
    }
    if (sessionTimeout.toMillis() < 100 || connectionTimeout.toMillis() < 100) {
      throw new IllegalArgumentException("session and connection timeouts must be at least 100 ms");
    }
    if (shard != null && !CLUSTER.matcher(shard).matches()) {
      throw new IllegalArgumentException(
          "shard id must be 1-64 of letters, digits, '_', '.', '-' (not leading), got '"
              + shard
              + "'");
    }
    if (connectionTimeout.compareTo(sessionTimeout) > 0) {
      throw new IllegalArgumentException(
          "connection timeout " + connectionTimeout + " exceeds session timeout " + sessionTimeout);
    }
  }

  /** Options of an unsharded cluster (or of a sharded cluster's shared records). */
  public CoordinatorOptions(
      String connectString, String cluster, Duration sessionTimeout, Duration connectionTimeout) {
    this(connectString, cluster, sessionTimeout, connectionTimeout, null);
  }

  /** The ensemble and cluster with the default timeouts. */
  public static CoordinatorOptions of(String connectString, String cluster) {
    return new CoordinatorOptions(
        connectString, cluster, DEFAULT_SESSION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT);
  }

  /** A copy with other timeouts. */
  public CoordinatorOptions withTimeouts(Duration session, Duration connection) {
    return new CoordinatorOptions(connectString, cluster, session, connection, shard);
  }

  /** A copy serving shard {@code id}'s replication group (null: the cluster's root again). */
  public CoordinatorOptions forShard(String id) {
    return new CoordinatorOptions(connectString, cluster, sessionTimeout, connectionTimeout, id);
  }

  /** The cluster's root znode, {@code /kevo/clusters/NAME}, where the shard map lives. */
  public String clusterPath() {
    return "/kevo/clusters/" + cluster;
  }

  /**
   * The root of the replication group this session serves: the cluster's root, or {@code
   * /kevo/clusters/NAME/shards/ID} for a shard's group. Members, epoch, leadership and the primary
   * record live under it.
   */
  public String groupPath() {
    return shard == null ? clusterPath() : clusterPath() + "/shards/" + shard;
  }
}
