package io.kevo.cli;

import io.kevo.coordination.CoordinatorOptions;
import io.kevo.server.FailoverOptions;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The flags of {@code kevo server} for automatic failover (each also a config-file key of the same
 * name): the coordinator, the cluster, this node's id and whether it may be elected, and the
 * failover's bounds. Holds the parsed flags; {@link #options(Properties)} turns them, with the
 * config file, into {@link FailoverOptions}. Not thread-safe (picocli fills it once).
 */
final class FailoverFlags {
  private static final String DURATION = "expected a duration like 500ms, 2s, 1m or PT2S";

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description =
          "A ZooKeeper ensemble (or `kevo coordinator` for development): the cluster elects its"
              + " primary and fails over by itself. Every node then starts as a replica; leave"
              + " out --role. Needs --cluster.")
  String coordinator;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description = "With --coordinator: the cluster this node belongs to.")
  String cluster;

  @Option(
      names = "--shard",
      paramLabel = "ID",
      description =
          "With --coordinator, in a sharded cluster (kevo cluster init): the shard this node"
              + " serves. Its replication group is that shard's; keys outside the shard's range"
              + " are refused with the shard that owns them.")
  String shard;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description =
          "With --coordinator: this node's member id. Default: the id kept in its data directory.")
  String nodeId;

  @Option(
      names = "--no-promote",
      description = "With --coordinator: never elect this node primary (it only follows).")
  Boolean noPromote;

  @Option(
      names = "--failover-max-lag",
      paramLabel = "ENTRIES",
      description =
          "With --coordinator: the most entries an elected replica may lack of what the lost"
              + " primary had confirmed. Default: 0 at replica:N and all (no acknowledged write"
              + " is lost), ${bundle:default.failover-async-max-lag} at async.")
  String maxLag;

  @Option(
      names = "--failover-min-interval",
      paramLabel = "DURATION",
      description =
          "With --coordinator: the least time between two failovers, so that a cluster never"
              + " flaps. Default: ${bundle:default.failover-min-interval}")
  String minInterval;

  @Option(
      names = "--failover-grace",
      paramLabel = "DURATION",
      description =
          "With --coordinator: how long the cluster must have no primary before a replica bids"
              + " for the role. Default: ${bundle:default.failover-grace}")
  String grace;

  @Option(
      names = "--coordinator-session-timeout",
      paramLabel = "DURATION",
      description =
          "With --coordinator: the ZooKeeper session timeout. A dead primary is replaced about"
              + " this long after it stopped; a primary cut off from ZooKeeper stops taking writes"
              + " within half of it. Default: ${bundle:default.coordinator-session-timeout}")
  String sessionTimeout;

  /** Whether a coordinator is set, by flag or in the file. */
  boolean coordinated(Properties file) {
    return ServerCommand.setting(coordinator, file, "coordinator", null) != null;
  }

  /**
   * The failover options, or null without a coordinator.
   *
   * @throws IllegalArgumentException for a missing cluster, a malformed value, or a failover flag
   *     without a coordinator
   */
  FailoverOptions options(Properties file) {
    String connect = ServerCommand.setting(coordinator, file, "coordinator", null);
    String name = ServerCommand.setting(cluster, file, "cluster", null);
    String id = ServerCommand.setting(nodeId, file, "node-id", null);
    String shardId = ServerCommand.setting(shard, file, "shard", null);
    String promote =
        ServerCommand.setting(
            noPromote == null ? null : noPromote.toString(), file, "no-promote", null);
    String lag = ServerCommand.setting(maxLag, file, "failover-max-lag", null);
    String min = ServerCommand.setting(minInterval, file, "failover-min-interval", null);
    String noPrimaryGrace = ServerCommand.setting(grace, file, "failover-grace", null);
    String session =
        ServerCommand.setting(sessionTimeout, file, "coordinator-session-timeout", null);
    if (connect == null) {
      if (name != null
          || shardId != null
          || id != null
          || promote != null
          || lag != null
          || min != null
          || noPrimaryGrace != null
          || session != null) {
        throw new IllegalArgumentException(
            "--cluster, --shard, --node-id, --no-promote, --failover-* and"
                + " --coordinator-session-timeout"
                + " need --coordinator");
      }
      return null;
    }
    if (name == null) {
      throw new IllegalArgumentException(
          "--coordinator needs --cluster NAME (the cluster this node belongs to)");
    }
    FailoverOptions f = FailoverOptions.of(connect.trim(), name.trim());
    if (session != null) {
      Duration d =
          ServerCommand.parse(
              session, ServerCommand::duration, "--coordinator-session-timeout", DURATION);
      CoordinatorOptions c = f.coordinator();
      f = f.withCoordinator(c.withTimeouts(d, minOf(c.connectionTimeout(), d.dividedBy(2))));
    }
    if (shardId != null) {
      f = f.withCoordinator(f.coordinator().forShard(shardId.trim()));
    }
    if (id != null) {
      f = f.withNodeId(id.trim());
    }
    if (promote != null) {
      f = f.withNoPromote(Boolean.parseBoolean(promote.trim()));
    }
    if (lag != null) {
      long entries =
          ServerCommand.parse(
              lag, Long::parseLong, "--failover-max-lag", "expected a whole number");
      if (entries < 0) {
        throw new IllegalArgumentException("--failover-max-lag must not be negative, got " + lag);
      }
      f = f.withMaxLag(entries);
    }
    Duration minD =
        min == null
            ? f.minInterval()
            : ServerCommand.parse(
                min, ServerCommand::duration, "--failover-min-interval", DURATION);
    Duration graceD =
        noPrimaryGrace == null
            ? f.grace()
            : ServerCommand.parse(
                noPrimaryGrace, ServerCommand::duration, "--failover-grace", DURATION);
    return f.withIntervals(minD, graceD);
  }

  private static Duration minOf(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
