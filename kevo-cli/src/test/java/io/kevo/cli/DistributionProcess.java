package io.kevo.cli;

import io.kevo.testkit.KevoDistribution;
import io.kevo.testkit.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code java -jar kevo-cli.jar ...} child processes for tests of the distribution, on the test kit
 * ({@link NodeProcess}, {@link KevoDistribution}): a {@code kevo server} that runs until it is
 * closed, and one-shot runs ({@code kevo shell --connect}, {@code kevo promote}...). Every wait is
 * bounded; output goes to files under the test's directory (no pipes to drain). Failures are
 * assertion errors. Public for the replication tests in {@code io.kevo.cli.repl}.
 */
public final class DistributionProcess {
  private static final Duration ONE_SHOT_RUN = Duration.ofSeconds(60);

  private DistributionProcess() {}

  /**
   * Starts {@code kevo server --data data --listen 127.0.0.1:0 --port-file ...} with stdout and
   * stderr in {@code dir/name.log}, and waits until it listens.
   */
  static Server startServer(Path jar, Path dir, Path data, String name, String... jvmOptions)
      throws IOException {
    return startServer(jar, dir, data, name, "127.0.0.1:0", List.of(jvmOptions), List.of());
  }

  /**
   * Starts {@code kevo server --data data --listen listen --port-file ... serverArgs...} with
   * {@code jvmOptions}, stdout and stderr in {@code dir/name.log} (appended to, so a restart under
   * the same name keeps the earlier run's lines), and waits until it listens.
   *
   * @param listen {@code 127.0.0.1:PORT}, port 0 to pick a free one
   */
  public static Server startServer(
      Path jar,
      Path dir,
      Path data,
      String name,
      String listen,
      List<String> jvmOptions,
      List<String> serverArgs)
      throws IOException {
    int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    NodeProcess node =
        new NodeProcess(new KevoDistribution(jar), name, dir, data, port, jvmOptions, serverArgs);
    try {
      node.start();
    } catch (IllegalStateException e) {
      throw new AssertionError("server " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while starting server " + name, e);
    }
    return new Server(node);
  }

  /**
   * Runs {@code kevo shell --connect address} with {@code lines} on stdin, as {@code kevo shell
   * --connect HOST:PORT < script} would, and waits for it to exit.
   */
  static ShellRun runShell(Path jar, Path dir, String address, String... lines)
      throws IOException, InterruptedException {
    return run(jar, dir, String.join("\n", lines) + "\n", "shell", "--connect", address);
  }

  /**
   * Runs {@code kevo args...} (a one-shot command such as {@code kevo promote HOST:PORT}) with an
   * empty stdin and waits (bounded) for it to exit.
   */
  public static ShellRun runCommand(Path jar, Path dir, String... args)
      throws IOException, InterruptedException {
    return run(jar, dir, "", args);
  }

  private static ShellRun run(Path jar, Path dir, String input, String... args)
      throws IOException, InterruptedException {
    try {
      KevoDistribution.CommandRun r = new KevoDistribution(jar).run(dir, input, ONE_SHOT_RUN, args);
      return new ShellRun(r.status(), r.out(), r.err());
    } catch (IllegalStateException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** What a one-shot run ({@code kevo shell}, {@code kevo promote}, ...) printed and its status. */
  public record ShellRun(int status, String out, String err) {
    public List<String> outLines() {
      return out.lines().toList();
    }
  }

  /**
   * A running {@code kevo server}; closing kills it if it is still alive. Failures to stop are
   * assertion errors.
   */
  public static final class Server implements AutoCloseable {
    private final NodeProcess node;

    private Server(NodeProcess node) {
      this.node = node;
    }

    /** {@code 127.0.0.1:PORT}, where it listens. */
    public String address() {
      return node.address();
    }

    /** The port it listens on. */
    public int port() {
      return node.port();
    }

    /** The operating system's id of the process. */
    public long pid() {
      return node.pid();
    }

    public boolean isAlive() {
      return node.alive();
    }

    /** Its stdout and stderr so far. */
    public String logText() {
      return String.join("\n", node.serverLogLines());
    }

    /**
     * Kills the process with SIGKILL, as a crash would (no shutdown hook runs, nothing is flushed
     * from the process's buffers), and waits (bounded) until it is gone.
     */
    public void kill() throws InterruptedException {
      try {
        node.kill();
      } catch (IllegalStateException e) {
        throw new AssertionError(e.getMessage(), e);
      }
    }

    /**
     * Waits for the process to exit by itself and returns its status; fails (after a kill) if it is
     * still alive after {@code within}.
     */
    public int awaitExit(Duration within) throws InterruptedException {
      try {
        return node.awaitExit(within);
      } catch (IllegalStateException e) {
        throw new AssertionError(e.getMessage(), e);
      }
    }

    /** Sends SIGTERM and returns the exit status; fails (after a kill) if it does not exit. */
    public int terminate() throws InterruptedException {
      sigterm();
      return awaitExit();
    }

    /** Sends SIGTERM and returns at once. */
    public void sigterm() {
      try {
        node.sigterm();
      } catch (IOException e) {
        throw new AssertionError("SIGTERM to " + node.name() + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    /** Waits (bounded) for the process to exit and returns its status; fails after a kill. */
    public int awaitExit() throws InterruptedException {
      try {
        return node.awaitExit();
      } catch (IllegalStateException e) {
        throw new AssertionError(e.getMessage(), e);
      }
    }

    /** Its stdout and stderr so far, by line. */
    List<String> logLines() {
      return node.serverLogLines();
    }

    /** Kills the process if it is still alive and waits (bounded) for it to go. Throws nothing. */
    @Override
    public void close() {
      node.close();
    }
  }
}
