package io.kevo.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One server process on 127.0.0.1 (by default {@code kevo server} of the distribution; any {@link
 * NodeLauncher}), which can be stopped in every way a node dies or stalls in production: SIGTERM,
 * SIGKILL, SIGSTOP/SIGCONT; and started again on the same data directory and the same port. Its
 * stdout and stderr are appended to {@code <dir>/<name>.log}, across restarts; a listener set with
 * {@link #outputLines} also hears each line as it arrives.
 *
 * <p>Thread-safe: methods are synchronized, except the reads of its address. {@link #close()} kills
 * the process if it runs (resuming it first if paused), waits for it, and throws nothing.
 */
public final class NodeProcess implements AutoCloseable {
  /** What starts the line this kit writes into a node's log before each start. */
  public static final String START_MARK = "==== ";

  /** JVM start, engine open (with WAL replay) and a cold JIT on a loaded machine. */
  private static final Duration STARTUP = Duration.ofSeconds(90);

  /** Beyond the server's own 10 s grace period: anything near this bound is a hang. */
  private static final Duration STOP = Duration.ofSeconds(30);

  private final NodeLauncher launcher;
  private final String name;
  private final Path dir;
  private final Path data;
  private final List<String> jvmOptions;
  private volatile List<String> serverArgs;
  private volatile int port; // 0 until first started; then kept across restarts
  private Process process;
  private boolean paused;
  private volatile Consumer<String> outputListener;

  /**
   * @param dir where the log and port files go
   * @param data the node's database directory
   * @param port the port to listen on, 0 to let the first start pick one with {@link KeptPorts}
   *     (kept afterwards)
   * @param launcher what runs the server: the distribution's {@code kevo server}, or another
   * @param serverArgs server options besides {@code --data}, {@code --listen} and {@code
   *     --port-file}
   */
  public NodeProcess(
      NodeLauncher launcher,
      String name,
      Path dir,
      Path data,
      int port,
      List<String> jvmOptions,
      List<String> serverArgs) {
    this.launcher = Objects.requireNonNull(launcher);
    this.name = Objects.requireNonNull(name);
    // Absolute: the process runs in `dir`, where relative paths would mean something else.
    this.dir = dir.toAbsolutePath();
    this.data = data.toAbsolutePath();
    this.port = port;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.serverArgs = List.copyOf(serverArgs);
  }

  public String name() {
    return name;
  }

  public Path data() {
    return data;
  }

  public Path log() {
    return dir.resolve(name + ".log");
  }

  /** The port it listens on; 0 before its first start. */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The server options it runs (or will run at its next start) with. */
  public List<String> serverArgs() {
    return serverArgs;
  }

  /** Replaces the server options for later starts (e.g. a primary restarted as a replica). */
  public void serverArgs(List<String> args) {
    this.serverArgs = List.copyOf(args);
  }

  /**
   * From the next start on, hands every line the process writes (stdout and stderr) to {@code
   * listener} as it arrives, on a thread of this kit's, besides appending it to the log; null stops
   * that. The listener must be thread-safe and quick.
   */
  public void outputLines(Consumer<String> listener) {
    this.outputListener = listener;
  }

  /**
   * Starts the process and waits until it listens (it writes its port file once the port is bound).
   *
   * @throws IllegalStateException if it is already running, or exits or does not listen in time
   */
  public synchronized void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    Files.createDirectories(dir);
    Path portFile = dir.resolve(name + ".port");
    Files.deleteIfExists(portFile);
    if (port == 0) {
      port = KeptPorts.pick();
    }
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--data",
            data.toString(),
            "--listen",
            "127.0.0.1:" + port,
            "--port-file",
            portFile.toString()));
    args.addAll(serverArgs);
    List<String> command = launcher.serverCommand(jvmOptions, args);
    Files.writeString(
        log(),
        "==== "
            + java.time.LocalTime.now()
            + " starting "
            + name
            + ": "
            + String.join(" ", command)
            + System.lineSeparator(),
        UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Consumer<String> listener = outputListener;
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    if (listener == null) {
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    }
    process = builder.start();
    if (listener != null) {
      pumpOutput(process, listener);
    }
    paused = false;
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!Files.exists(portFile) && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String written = Files.exists(portFile) ? Files.readString(portFile, UTF_8).trim() : "";
    if (written.isEmpty()) {
      boolean alive = process.isAlive();
      process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
      throw new IllegalStateException(
          name
              + " did not start listening within "
              + STARTUP.toSeconds()
              + " s (alive: "
              + alive
              + "); end of its log:\n"
              + logTail(40));
    }
    port = Integer.parseInt(written);
  }

  /**
   * Copies the process's output to the log and to {@code listener}, line by line, until it ends.
   */
  private void pumpOutput(Process p, Consumer<String> listener) {
    Path logFile = log();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
                  Writer out =
                      Files.newBufferedWriter(
                          logFile,
                          UTF_8,
                          java.nio.file.StandardOpenOption.CREATE,
                          java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = in.readLine()) != null; ) {
                  out.write(line);
                  out.write(System.lineSeparator());
                  out.flush();
                  listener.accept(line);
                }
              } catch (IOException | RuntimeException e) {
                // The process is gone or the listener failed: nothing more to pass on.
              }
            },
            name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * The exit status of the process if it has exited (by itself or by a signal: 128 + the signal's
   * number, as the shell reports it); -1 if it runs or never started.
   */
  public synchronized int exitStatus() {
    return process == null || process.isAlive() ? -1 : process.exitValue();
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  public synchronized boolean paused() {
    return paused && alive();
  }

  /** The operating system's process id; -1 if never started. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /**
   * SIGKILL, as a crash: no shutdown hook runs, nothing buffered in the process is flushed. Waits
   * until it is gone. Does nothing if it is not running.
   */
  public synchronized void kill() throws InterruptedException {
    if (!alive()) {
      return;
    }
    process.destroyForcibly();
    if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " did not die within " + STOP + " of SIGKILL");
    }
    paused = false;
  }

  /**
   * SIGTERM (resuming it first if paused), then waits for it to exit.
   *
   * @return its exit status
   * @throws IllegalStateException if it does not exit in time (it is then killed)
   */
  public int terminate() throws IOException, InterruptedException {
    sigterm();
    return awaitExit();
  }

  /** SIGTERM (resuming it first if paused), and returns at once. */
  public synchronized void sigterm() throws IOException, InterruptedException {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    if (paused) {
      resume();
    }
    process.destroy();
  }

  /**
   * Waits (bounded: beyond the server's own grace period) for the process to exit.
   *
   * @return its exit status
   * @throws IllegalStateException if it does not exit in time (it is then killed), naming the end
   *     of its log
   */
  public int awaitExit() throws InterruptedException {
    return awaitExit(STOP);
  }

  /**
   * Waits up to {@code within} for the process to exit (by itself, or after a signal).
   *
   * @return its exit status
   * @throws IllegalStateException if it is still alive then (it is then killed), naming the end of
   *     its log
   */
  public int awaitExit(Duration within) throws InterruptedException {
    Process p;
    synchronized (this) {
      if (process == null) {
        throw new IllegalStateException(name + " was never started");
      }
      p = process;
    }
    if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
      throw new IllegalStateException(
          name + " did not exit within " + within + "; end of its log:\n" + logTail(40));
    }
    synchronized (this) {
      paused = false;
    }
    return p.exitValue();
  }

  /** SIGSTOP: the process stops running, its sockets stay open, as in a long GC or VM pause. */
  public synchronized void pause() throws IOException, InterruptedException {
    if (alive() && !paused) {
      Signals.send(process.pid(), "STOP");
      paused = true;
    }
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() throws IOException, InterruptedException {
    if (alive() && paused) {
      Signals.send(process.pid(), "CONT");
      paused = false;
    }
  }

  /** Its log so far (every start). */
  public String logText() {
    try {
      return Files.readString(log(), UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log() + ": " + e + ")";
    }
  }

  /** The lines the server itself wrote to its log (without this kit's start marks), every start. */
  public java.util.List<String> serverLogLines() {
    return logText().lines().filter(l -> !l.startsWith(START_MARK)).toList();
  }

  /** The last {@code lines} lines of its log. */
  public String logTail(int lines) {
    List<String> all = logText().lines().toList();
    return String.join(
        System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public synchronized void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      if (paused) {
        resume();
      }
    } catch (IOException | InterruptedException e) {
      // SIGKILL works on a stopped process too.
    }
    process.destroyForcibly();
    try {
      process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "@" + address();
  }
}
