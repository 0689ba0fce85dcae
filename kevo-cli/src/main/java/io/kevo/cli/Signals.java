package io.kevo.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as a callback instead of a JVM shutdown, so that {@code kevo server} can shut
 * down in order on its main thread and exit with status 0 (a JVM ended by a signal exits with 128 +
 * the signal number). Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module; where
 * that is missing the caller falls back on a shutdown hook.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Runs {@code action} (once per signal, on a JVM signal thread) on SIGINT or SIGTERM.
   *
   * @return false if the handlers could not be installed
   */
  static boolean onTermination(Runnable action) {
    try {
      Signal.handle(new Signal("INT"), s -> action.run());
      Signal.handle(new Signal("TERM"), s -> action.run());
      return true;
    } catch (IllegalArgumentException | LinkageError e) {
      LOG.debug("cannot handle SIGINT/SIGTERM; relying on a shutdown hook", e);
      return false;
    }
  }
}
