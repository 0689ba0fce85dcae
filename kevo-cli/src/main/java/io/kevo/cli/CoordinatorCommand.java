package io.kevo.cli;

import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.EmbeddedZooKeeper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kevo coordinator}: one ZooKeeper server in this JVM ({@link EmbeddedZooKeeper}) for {@code
 * kevo server --coordinator} to meet on, until SIGINT or SIGTERM; then it stops cleanly and exits
 * with status 0. One INFO line says where it listens (the {@code --listen} host and the bound port)
 * and where its data is, one more that it stopped. A taken port, a bad address or an unusable
 * directory is one line on stderr and status 2.
 *
 * <p>A single server is for development and tests: it is a single point of failure, so production
 * runs an ensemble of 3 or 5 ZooKeeper servers instead, and the nodes name all of them.
 */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run a single ZooKeeper server for automatic failover (kevo server --coordinator) until"
          + " SIGINT or SIGTERM. For development: production uses an ensemble of 3 or 5 servers."
    })
final class CoordinatorCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorCommand.class);
  static final String DEFAULT_LISTEN = "127.0.0.1:2181";
  static final String DEFAULT_DATA = "./kevo-coordinator";

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Address to listen on; port 0 picks a free one. Default: " + DEFAULT_LISTEN)
  private String listen = DEFAULT_LISTEN;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Directory of ZooKeeper's snapshots and transaction log (the cluster's epoch survives a"
              + " restart), created if missing. Default: "
              + DEFAULT_DATA)
  private Path data = Path.of(DEFAULT_DATA);

  @Option(
      names = "--port-file",
      paramLabel = "FILE",
      description = "Write the bound port to FILE once listening (for scripts and tests).")
  private Path portFile;

  @Spec private CommandSpec spec;

  private final AtomicBoolean stoppedLogged = new AtomicBoolean();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    InetSocketAddress address;
    try {
      address = address(listen);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Path dir = data.toAbsolutePath().normalize();
    String unusable = unusable(dir);
    if (unusable != null) {
      return fail(err, "cannot use " + dir + " as the coordinator's data directory: " + unusable);
    }
    EmbeddedZooKeeper zk;
    try {
      zk = EmbeddedZooKeeper.start(address, dir);
    } catch (CoordinationException e) {
      LOG.debug("cannot start the coordinator", e);
      return fail(err, "cannot listen on " + listen + ": " + why(e));
    }

    CountDownLatch stop = new CountDownLatch(1);
    // Safety net for exits not caused by SIGINT/SIGTERM (e.g. SIGHUP): close is idempotent.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  zk.close();
                  logStopped();
                },
                "kevo-coordinator-shutdown"));
    // Without signal handlers (no jdk.unsupported), the shutdown hook stops the server and the
    // JVM ends on its own while this thread still waits.
    Signals.onTermination(stop::countDown);
    writePortFile(zk.port());
    LOG.info(
        "Kevo coordinator listening on {} (ZooKeeper, data {}): a single server for development;"
            + " production uses an ensemble of 3 or 5",
        listen.substring(0, listen.lastIndexOf(':') + 1) + zk.port(),
        dir);
    stop.await();
    zk.close();
    logStopped();
    return ExitCodes.OK;
  }

  /** The one line a clean stop logs, once, whichever path stopped it. */
  private void logStopped() {
    if (stoppedLogged.compareAndSet(false, true)) {
      LOG.info("Kevo coordinator stopped cleanly");
    }
  }

  /** Writes the port to {@code --port-file}, whole or not at all (a rename). */
  private void writePortFile(int port) {
    if (portFile == null) {
      return;
    }
    try {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(port), StandardCharsets.UTF_8);
      Files.move(
          tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write port file {}: {}", portFile, e.toString());
    }
  }

  private static int fail(PrintWriter err, String message) {
    err.println("error: " + message);
    err.flush();
    return ExitCodes.FATAL;
  }

  /**
   * {@code HOST:PORT} ({@code [::1]:PORT} for IPv6) resolved to a socket address.
   *
   * @throws IllegalArgumentException with the one line to show
   */
  static InetSocketAddress address(String text) {
    String bad = "invalid value for --listen: '" + text + "' (expected HOST:PORT, port 0-65535)";
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(bad);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(bad, e);
    }
    if (port < 0 || port > 65_535 || host.isEmpty()) {
      throw new IllegalArgumentException(bad);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "invalid value for --listen: '" + text + "' (unknown host '" + host + "')", e);
    }
  }

  /** Why {@code dir} cannot hold the server's files, or null if it can (created if missing). */
  private static String unusable(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return Files.exists(dir) && !Files.isDirectory(dir)
          ? "it is not a directory"
          : "cannot create it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
    if (!Files.isWritable(dir)) {
      return "it is not writable";
    }
    return null;
  }

  /** The start failure in words: a taken port is the usual one. */
  private static String why(CoordinationException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException b) {
        String message = String.valueOf(b.getMessage());
        return message.contains("in use")
            ? "the port is taken (" + message + "; is another coordinator or ZooKeeper there?)"
            : message;
      }
    }
    return e.getCause() != null ? e.getCause().toString() : e.getMessage();
  }
}
