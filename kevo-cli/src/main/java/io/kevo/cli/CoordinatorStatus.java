package io.kevo.cli;

import io.kevo.coordination.ClusterView;
import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kevo status --coordinator HOST:PORT[,...] --cluster NAME}: opens a session on the
 * coordinator, reads the cluster's {@link ClusterView} in one go, closes the session, and prints
 * the view as text ({@link CoordinatorStatusText}) or JSON ({@link CoordinatorStatusJson}). A
 * coordinator whose host does not resolve, or that gives no session within {@link #CONNECT_WAIT},
 * is one line on stderr and status 2. Stateless and thread-safe.
 */
final class CoordinatorStatus {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorStatus.class);

  /** How long to wait for a session: two connection attempts of the default 2 s, and a margin. */
  static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

  /**
   * Curator's switch (its {@code DebugUtils.PROPERTY_DONT_LOG_CONNECTION_ISSUES}) that keeps it
   * from logging each failed connection attempt as an ERROR with a stack trace: a one-shot status
   * says so itself, in one line.
   */
  static final String CURATOR_QUIET = "curator-dont-log-connection-problems";

  private CoordinatorStatus() {}

  /**
   * Prints the cluster of {@code options} on {@code out}, or one error line on {@code err}.
   *
   * @param wait how long to wait for a session with the coordinator
   * @return the exit status
   */
  static int print(
      CoordinatorOptions options, boolean json, Duration wait, PrintWriter out, PrintWriter err) {
    String unknown = unresolvedHost(options.connectString());
    if (unknown != null) {
      // ZooKeeper's client would log a stack trace for each attempt to resolve it.
      return fail(err, "cannot resolve the coordinator's host '" + unknown + "'");
    }
    System.setProperty(CURATOR_QUIET, "true");
    ClusterView view;
    try (Coordinator coordinator = Coordinator.start(options)) {
      if (!coordinator.awaitLive(wait)) {
        return fail(
            err,
            "cannot reach the coordinator "
                + options.connectString()
                + " within "
                + wait.toSeconds()
                + " s (is it running? kevo coordinator --listen HOST:PORT starts one)");
      }
      Optional<ShardMap> map = new ShardMapStore(coordinator).read();
      if (map.isPresent()) {
        // Its groups live under shards/ID: the root's would look empty, which would mislead.
        err.println(
            "error: cluster "
                + options.cluster()
                + " is sharded ("
                + map.get().shards().size()
                + " shards, shard map version "
                + map.get().version()
                + "): kevo cluster status --coordinator "
                + options.connectString()
                + " --cluster "
                + options.cluster()
                + " shows its shards");
        err.flush();
        return ExitCodes.COMMAND_FAILED;
      }
      view = ClusterView.read(coordinator);
    } catch (CoordinationException | IllegalArgumentException e) {
      LOG.debug("cluster {} on {} unreadable", options.cluster(), options.connectString(), e);
      return fail(
          err,
          "cannot read cluster "
              + options.cluster()
              + " from the coordinator "
              + options.connectString()
              + ": "
              + message(e));
    }
    out.print(json ? CoordinatorStatusJson.render(view) : CoordinatorStatusText.render(view));
    out.flush();
    return ExitCodes.OK;
  }

  /** The first host of {@code HOST:PORT[,HOST:PORT...]} that does not resolve, or null. */
  static String unresolvedHost(String connectString) {
    for (String hostPort : connectString.split(",")) {
      String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
      try {
        InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        return host;
      }
    }
    return null;
  }

  private static int fail(PrintWriter err, String line) {
    err.println("error: " + line);
    err.flush();
    return ExitCodes.FATAL;
  }

  /** The exception's message with its root cause's, on one line. */
  private static String message(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = e.getMessage();
    if (root != e) {
      text += " (" + root + ")";
    }
    return text.replaceAll("\\s*\\R\\s*", " ");
  }
}
