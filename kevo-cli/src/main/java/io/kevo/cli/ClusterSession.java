package io.kevo.cli;

import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-shot coordinator sessions of {@code kevo cluster}'s commands, and their errors as one
 * line on stderr: a host that does not resolve or a coordinator that gives no session within {@link
 * CoordinatorStatus#CONNECT_WAIT} is status 2, a failed read or write ({@link
 * CoordinationException}) status 1. Stateless and thread-safe.
 */
final class ClusterSession {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSession.class);

  /** What a command does with a live session. */
  @FunctionalInterface
  interface Work {
    /** Does it; returns the exit status. */
    int run(Coordinator coordinator);
  }

  private ClusterSession() {}

  /**
   * Runs {@code work} on a live session of {@code options}, then closes the session.
   *
   * @return {@code work}'s exit status, or that of the error it printed on {@code err}
   */
  static int run(CoordinatorOptions options, PrintWriter err, Work work) {
    String unknown = CoordinatorStatus.unresolvedHost(options.connectString());
    if (unknown != null) {
      // ZooKeeper's client would log a stack trace for each attempt to resolve it.
      return fail(err, "cannot resolve the coordinator's host '" + unknown + "'", ExitCodes.FATAL);
    }
    // Curator would log each failed connection attempt with a stack trace; this says it in one
    // line.
    System.setProperty(CoordinatorStatus.CURATOR_QUIET, "true");
    try (Coordinator coordinator = open(options)) {
      return work.run(coordinator);
    } catch (Unreachable e) {
      return fail(err, e.getMessage(), ExitCodes.FATAL);
    } catch (CoordinationException e) {
      LOG.debug("cluster {} on {} failed", options.cluster(), options.connectString(), e);
      return fail(err, e.getMessage(), ExitCodes.COMMAND_FAILED);
    }
  }

  /**
   * A live session of {@code options}, which the caller closes.
   *
   * @throws Unreachable if the coordinator gives no session within {@link
   *     CoordinatorStatus#CONNECT_WAIT}
   */
  static Coordinator open(CoordinatorOptions options) {
    Coordinator coordinator = Coordinator.start(options);
    if (!coordinator.awaitLive(CoordinatorStatus.CONNECT_WAIT)) {
      coordinator.close();
      throw new Unreachable("cannot reach the coordinator at " + options.connectString());
    }
    return coordinator;
  }

  private static int fail(PrintWriter err, String message, int status) {
    err.println("error: " + message.replaceAll("\\s*\\R\\s*", " "));
    err.flush();
    return status;
  }

  /** The coordinator gave no session in time; the message says which. */
  static final class Unreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }
}
