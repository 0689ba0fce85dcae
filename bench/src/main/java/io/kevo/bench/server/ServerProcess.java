package io.kevo.bench.server;

import io.kevo.bench.report.PeakRss;
import io.kevo.bench.report.ProcessCpu;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A {@link ServerNodeCommand} child JVM: started, asked for its port, its CPU and peak RSS read
 * from {@code /proc/<pid>}, stopped by closing its stdin. Its stderr is passed through; its stdout
 * lines after the port are echoed to stderr, labelled; its stderr may also be read line by line
 * (still passed through). {@link #close()} is idempotent and throws nothing.
 */
public final class ServerProcess implements AutoCloseable {
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 30;

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code command} and waits until it prints its port.
   *
   * @throws IllegalStateException if it does not start listening within a minute
   */
  public static ServerProcess start(List<String> command) {
    return start(command, null);
  }

  /**
   * Starts {@code command} and waits until it prints its port; {@code stderrLines}, if not null,
   * hears every line the child writes to stderr, on a thread of its own, as it arrives (each line
   * is still copied to this JVM's stderr).
   *
   * @throws IllegalStateException if it does not start listening within a minute
   */
  public static ServerProcess start(List<String> command, Consumer<String> stderrLines) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(
        stderrLines == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the server JVM: " + e.getMessage(), e);
    }
    if (stderrLines != null) {
      Thread err =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    System.err.println(line);
                    stderrLines.accept(line);
                  }
                } catch (IOException | RuntimeException e) {
                  // The child is gone or the listener failed: nothing more to pass on.
                }
              },
              "bench-server-stderr");
      err.setDaemon(true);
      err.start();
    }
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  if (!port.isDone() && line.startsWith(ServerNodeCommand.LISTENING_PREFIX)) {
                    port.complete(
                        Integer.parseInt(
                            line.substring(ServerNodeCommand.LISTENING_PREFIX.length()).trim()));
                  } else {
                    System.err.println("[server] " + line);
                  }
                }
              } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IllegalStateException("the server JVM exited"));
            },
            "bench-server-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ServerProcess(p, port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException("the server JVM did not start listening: " + e, e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the server JVM", e);
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** CPU time the server JVM has used so far. */
  Optional<ProcessCpu.Sample> cpu() {
    return ProcessCpu.of(process.pid());
  }

  /** CPU nanoseconds (user + system) the server JVM has used so far. */
  public OptionalLong cpuNanos() {
    return cpu().map(c -> OptionalLong.of(c.totalNanos())).orElse(OptionalLong.empty());
  }

  /** The server JVM's VmHWM so far, MiB; -1 if unknown. */
  public double peakRssMb() {
    return PeakRss.ofProcessMb(process.pid());
  }

  /** Closes the child's stdin, which stops it; kills it if it has not exited in 30 s. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already closed: the child is stopping anyway.
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        System.err.println("server JVM did not stop; killing it");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } else if (process.exitValue() != 0) {
        System.err.println("server JVM exited with " + process.exitValue());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
