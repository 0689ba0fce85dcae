package io.kevo.server;

import io.kevo.coordination.CoordinatorOptions;
import io.kevo.wire.AckLevel;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node takes part in automatic failover ({@code kevo server --coordinator ... --cluster
 * ...}). Immutable; validated on construction.
 *
 * @param coordinator the ZooKeeper ensemble, the cluster's name and the session timeouts
 * @param nodeId this node's member id, or null for the id kept in its data directory
 * @param noPromote true if this node must never be elected primary ({@code --no-promote})
 * @param maxLag the most entries an elected replica may lack of what the last primary confirmed
 *     ({@code --failover-max-lag}); negative for the default of the acknowledgement level ({@link
 *     #maxLag(AckLevel)})
 * @param minInterval the least time between two failovers ({@code --failover-min-interval}): a
 *     primary elected less than this ago is not replaced, so a cluster never flaps
 * @param grace how long the cluster must have no primary before a candidate bids ({@code
 *     --failover-grace}): the members' last figures reach the coordinator meanwhile
 */
public record FailoverOptions(
    CoordinatorOptions coordinator,
    String nodeId,
    boolean noPromote,
    long maxLag,
    Duration minInterval,
    Duration grace) {

  /** The least time between failovers unless set. */
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(10);

  /** The no-primary grace unless set: two of a member's update intervals. */
  public static final Duration DEFAULT_GRACE = Duration.ofMillis(500);

  /** The maximum lag at {@code async} unless set (at other levels it is 0). */
  public static final long DEFAULT_ASYNC_MAX_LAG = 10_000;

  /** Checks the fields. */
  public FailoverOptions {
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(minInterval, "minInterval");
    Objects.requireNonNull(grace, "grace");
    if (nodeId != null && (nodeId.isEmpty() || nodeId.contains("/") || nodeId.length() > 128)) {
      throw new IllegalArgumentException(
          "node id must be 1-128 characters without '/', got '" + nodeId + "'");
    }
    if (minInterval.isNegative() || grace.isNegative()) {
      throw new IllegalArgumentException("failover intervals must not be negative");
    }
  }

  /** The defaults for a cluster on an ensemble. */
  public static FailoverOptions of(String connectString, String cluster) {
    return new FailoverOptions(
        CoordinatorOptions.of(connectString, cluster),
        null,
        false,
        -1,
        DEFAULT_MIN_INTERVAL,
        DEFAULT_GRACE);
  }

  /**
   * The maximum lag in force: the one set, else 0 at {@code replica:N} and {@code all} (a failover
   * loses no acknowledged write) and {@link #DEFAULT_ASYNC_MAX_LAG} at {@code async} (where writes
   * are acknowledged before any replica has them anyway).
   */
  public long maxLag(AckLevel level) {
    if (maxLag >= 0) {
      return maxLag;
    }
    return level.waits() ? 0 : DEFAULT_ASYNC_MAX_LAG;
  }

  /** A copy with another node id. */
  public FailoverOptions withNodeId(String id) {
    return new FailoverOptions(coordinator, id, noPromote, maxLag, minInterval, grace);
  }

  /** A copy with {@code --no-promote} set or not. */
  public FailoverOptions withNoPromote(boolean value) {
    return new FailoverOptions(coordinator, nodeId, value, maxLag, minInterval, grace);
  }

  /** A copy with another maximum lag (negative: the level's default). */
  public FailoverOptions withMaxLag(long entries) {
    return new FailoverOptions(coordinator, nodeId, noPromote, entries, minInterval, grace);
  }

  /** A copy with other failover intervals. */
  public FailoverOptions withIntervals(Duration min, Duration noPrimaryGrace) {
    return new FailoverOptions(coordinator, nodeId, noPromote, maxLag, min, noPrimaryGrace);
  }

  /** A copy with other coordinator settings. */
  public FailoverOptions withCoordinator(CoordinatorOptions options) {
    return new FailoverOptions(options, nodeId, noPromote, maxLag, minInterval, grace);
  }
}
