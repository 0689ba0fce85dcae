package io.kevo.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code java -jar kevo-cli.jar ...} child processes for tests of the distribution: a {@code kevo
 * server} that runs until it is closed, and one-shot {@code kevo shell --connect} runs. Every wait
 * is bounded; output goes to files under the test's directory (no pipes to drain). Public for the
 * replication tests in {@code io.kevo.cli.repl}.
 */
public final class DistributionProcess {
  /** Generous: JVM start, engine open and a cold JIT on a loaded build machine. */
  private static final Duration STARTUP = Duration.ofSeconds(60);

  /** The server's own grace period is 10 s; anything near this bound is a hang. */
  private static final Duration STOP = Duration.ofSeconds(30);

  private static final Duration SHELL_RUN = Duration.ofSeconds(60);

  private DistributionProcess() {}

  /** The command line that starts {@code jar} with {@code jvmOptions}, then {@code args}. */
  private static List<String> command(Path jar, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Starts {@code kevo server --data data --listen 127.0.0.1:0 --port-file ...} with stdout and
   * stderr in {@code dir/name.log}, and waits until it has written its port file.
   */
  static Server startServer(Path jar, Path dir, Path data, String name, String... jvmOptions)
      throws IOException {
    return startServer(jar, dir, data, name, "127.0.0.1:0", List.of(jvmOptions), List.of());
  }

  /**
   * Starts {@code kevo server --data data --listen listen --port-file ... serverArgs...} with
   * {@code jvmOptions}, stdout and stderr in {@code dir/name.log} (appended to, so a restart under
   * the same name keeps the earlier run's lines), and waits until it has written its port file.
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
    Path portFile = dir.resolve(name + ".port");
    Path log = dir.resolve(name + ".log");
    Files.deleteIfExists(portFile);
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "server",
            "--data",
            data.toString(),
            "--listen",
            listen,
            "--port-file",
            portFile.toString()));
    args.addAll(serverArgs);
    Process process =
        new ProcessBuilder(command(jar, jvmOptions, args.toArray(String[]::new)))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      await()
          .atMost(STARTUP)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(portFile) || !process.isAlive());
    } catch (ConditionTimeoutException e) {
      // Reported below, with the log.
    }
    if (!Files.exists(portFile)) {
      process.destroyForcibly();
      throw new AssertionError(
          "server "
              + name
              + " wrote no port file within "
              + STARTUP.toSeconds()
              + " s (alive: "
              + process.isAlive()
              + "); log:\n"
              + readQuietly(log));
    }
    int port = Integer.parseInt(Files.readString(portFile, UTF_8).trim());
    return new Server(process, log, port);
  }

  /**
   * Runs {@code kevo shell --connect address} with {@code lines} on stdin, as {@code kevo shell
   * --connect HOST:PORT < script} would, and waits for it to exit.
   */
  static ShellRun runShell(Path jar, Path dir, String address, String... lines)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile(dir, "shell", ".kevo");
    Files.writeString(script, String.join("\n", lines) + "\n", UTF_8);
    return run(jar, dir, script, "shell", "--connect", address);
  }

  /**
   * Runs {@code kevo args...} (a one-shot command such as {@code kevo promote HOST:PORT}) with an
   * empty stdin and waits (bounded) for it to exit.
   */
  public static ShellRun runCommand(Path jar, Path dir, String... args)
      throws IOException, InterruptedException {
    Path empty = Files.createTempFile(dir, "stdin", ".empty");
    return run(jar, dir, empty, args);
  }

  private static ShellRun run(Path jar, Path dir, Path stdin, String... args)
      throws IOException, InterruptedException {
    String what = "kevo " + args[0];
    Path out = Files.createTempFile(dir, args[0], ".out");
    Path err = Files.createTempFile(dir, args[0], ".err");
    Process process =
        new ProcessBuilder(command(jar, List.of(), args))
            .directory(dir.toFile())
            .redirectInput(stdin.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(SHELL_RUN.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            what
                + " did not exit within "
                + SHELL_RUN.toSeconds()
                + " s; stderr:\n"
                + readQuietly(err));
      }
      return new ShellRun(process.exitValue(), readQuietly(out), readQuietly(err));
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** What a one-shot run ({@code kevo shell}, {@code kevo promote}, ...) printed and its status. */
  public record ShellRun(int status, String out, String err) {
    public List<String> outLines() {
      return out.lines().toList();
    }
  }

  /** A running {@code kevo server}; closing kills it if it is still alive. */
  public static final class Server implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private Server(Process process, Path log, int port) {
      this.process = process;
      this.log = log;
      this.port = port;
    }

    /** {@code 127.0.0.1:PORT}, where it listens. */
    public String address() {
      return "127.0.0.1:" + port;
    }

    /** The port it listens on. */
    public int port() {
      return port;
    }

    /** The operating system's id of the process. */
    public long pid() {
      return process.pid();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Its stdout and stderr so far. */
    public String logText() {
      return readQuietly(log);
    }

    /**
     * Kills the process with SIGKILL, as a crash would (no shutdown hook runs, nothing is flushed
     * from the process's buffers), and waits (bounded) until it is gone.
     */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("server did not die within " + STOP.toSeconds() + " s of SIGKILL");
      }
    }

    /** Sends SIGTERM and returns the exit status; fails (after a kill) if it does not exit. */
    public int terminate() throws InterruptedException {
      sigterm();
      return awaitExit();
    }

    /** Sends SIGTERM and returns at once. */
    public void sigterm() {
      process.destroy();
    }

    /** Waits (bounded) for the process to exit and returns its status; fails after a kill. */
    public int awaitExit() throws InterruptedException {
      if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "server did not exit within "
                + STOP.toSeconds()
                + " s of SIGTERM; log:\n"
                + readQuietly(log));
      }
      return process.exitValue();
    }

    /** Its stdout and stderr so far, by line. */
    List<String> logLines() {
      return readQuietly(log).lines().toList();
    }

    /** Kills the process if it is still alive and waits (bounded) for it to go. Throws nothing. */
    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      process.destroyForcibly();
      try {
        process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
