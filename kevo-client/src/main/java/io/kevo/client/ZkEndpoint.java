package io.kevo.client;

import io.kevo.coordination.CoordinatorOptions;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code zk://HOST:PORT[,HOST:PORT...]/CLUSTER} endpoint: the ZooKeeper ensemble a cluster's
 * nodes register with ({@code kevo server --coordinator}) and the cluster's name. Parsing names the
 * part that is wrong. Hosts are names or IPv4 addresses (ZooKeeper's connect string has no brackets
 * for IPv6). Immutable.
 *
 * @param url the endpoint as given
 * @param connectString the ensemble, {@code HOST:PORT[,HOST:PORT...]}
 * @param cluster the cluster's name
 * @param shard in a sharded cluster, the shard whose replication group this endpoint reaches (a
 *     routing client's group client); null for the cluster itself
 */
record ZkEndpoint(String url, String connectString, String cluster, String shard) {
  /** The scheme, with its separator. */
  static final String SCHEME = "zk://";

  private static final String FORM = "zk://HOST:PORT[,HOST:PORT...]/CLUSTER";
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
  private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  ZkEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(connectString, "connectString");
    Objects.requireNonNull(cluster, "cluster");
  }

  ZkEndpoint(String url, String connectString, String cluster) {
    this(url, connectString, cluster, null);
  }

  /** This endpoint for shard {@code id}'s replication group. */
  ZkEndpoint withShard(String id) {
    return new ZkEndpoint(url, connectString, cluster, id);
  }

  /** Whether {@code endpoint} is meant as a ZooKeeper endpoint (its scheme is {@code zk}). */
  static boolean isZk(String endpoint) {
    return endpoint != null && endpoint.toLowerCase(Locale.ROOT).startsWith(SCHEME);
  }

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException naming the wrong part: the scheme, a missing cluster, an empty
   *     or malformed server, a port out of range, or a bad cluster name
   */
  static ZkEndpoint parse(String url) {
    Objects.requireNonNull(url, "url");
    if (!isZk(url)) {
      throw bad(url, "the scheme must be zk://");
    }
    String rest = url.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0 || slash == rest.length() - 1) {
      throw bad(url, "the cluster name is missing after the servers");
    }
    String servers = rest.substring(0, slash);
    String cluster = rest.substring(slash + 1);
    if (servers.isEmpty()) {
      throw bad(url, "no ZooKeeper server before the cluster name");
    }
    for (String server : servers.split(",", -1)) {
      checkServer(url, server);
    }
    if (!CLUSTER.matcher(cluster).matches()) {
      throw bad(
          url,
          "cluster name '"
              + cluster
              + "' must be 1-64 letters, digits, '_', '.' or '-', not starting with '_', '.' or '-'");
    }
    try {
      CoordinatorOptions.of(servers, cluster); // the coordinator's own check, which must agree
    } catch (IllegalArgumentException e) {
      throw bad(url, e.getMessage());
    }
    return new ZkEndpoint(url, servers, cluster);
  }

  private static void checkServer(String url, String server) {
    if (server.isEmpty()) {
      throw bad(url, "an empty server in the list (two commas, or one at an end)");
    }
    int colon = server.lastIndexOf(':');
    if (colon < 0) {
      throw bad(url, "server '" + server + "' has no port (HOST:PORT)");
    }
    String host = server.substring(0, colon);
    if (!HOST.matcher(host).matches()) {
      throw bad(url, "server '" + server + "' has a malformed host '" + host + "'");
    }
    String port = server.substring(colon + 1);
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw bad(url, "server '" + server + "' has a malformed port '" + port + "'");
    }
    if (number < 1 || number > 65_535 || !port.chars().allMatch(Character::isDigit)) {
      throw bad(url, "server '" + server + "' has port " + port + ", outside 1-65535");
    }
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException(
        "malformed ZooKeeper endpoint '" + url + "': " + why + "; expected " + FORM);
  }

  /** The coordinator options of this endpoint, with the coordinator's default timeouts. */
  CoordinatorOptions coordinatorOptions() {
    return CoordinatorOptions.of(connectString, cluster).forShard(shard);
  }

  @Override
  public String toString() {
    return shard == null ? url : url + " (shard " + shard + ")";
  }
}
