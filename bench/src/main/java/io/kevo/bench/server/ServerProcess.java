package io.kevo.bench.server;

import io.kevo.bench.report.PeakRss;
import io.kevo.bench.report.ProcessCpu;
import io.kevo.bench.run.ChildJvm;
import io.kevo.testkit.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A {@link ServerNodeCommand} child JVM, run as a kevo-testkit {@link NodeProcess} (fixed heap, the
 * bench's class path): started, asked for its port, its CPU and peak RSS read from {@code
 * /proc/<pid>}, stopped with SIGTERM (it shuts down cleanly). Its output goes to {@code
 * <dir>/<name>.log}; a listener may also hear it line by line. Used by one thread; {@link #close()}
 * is idempotent and throws nothing.
 */
public final class ServerProcess implements AutoCloseable {
  private final NodeProcess node;

  private ServerProcess(NodeProcess node) {
    this.node = node;
  }

  /**
   * Starts a node named {@code name}, its log in {@code dir} and its database in {@code data}, and
   * waits until it listens.
   *
   * @param nodeArgs {@code server-node} options besides {@code --data}, {@code --listen} and {@code
   *     --port-file}
   * @param outputLines hears every line it writes, as it arrives; null: only logged
   * @throws IllegalStateException if it does not start listening in time
   */
  public static ServerProcess start(
      String name,
      Path dir,
      Path data,
      String heap,
      List<String> jvmArgs,
      List<String> nodeArgs,
      Consumer<String> outputLines) {
    NodeProcess node =
        new NodeProcess(ChildJvm.nodeLauncher(heap), name, dir, data, 0, jvmArgs, nodeArgs);
    node.outputLines(outputLines);
    try {
      node.start();
    } catch (IOException e) {
      node.close();
      throw new UncheckedIOException("cannot start " + name, e);
    } catch (InterruptedException e) {
      node.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
    return new ServerProcess(node);
  }

  public int port() {
    return node.port();
  }

  public long pid() {
    return node.pid();
  }

  /** CPU time the server JVM has used so far. */
  Optional<ProcessCpu.Sample> cpu() {
    return ProcessCpu.of(node.pid());
  }

  /** CPU nanoseconds (user + system) the server JVM has used so far. */
  public OptionalLong cpuNanos() {
    return cpu().map(c -> OptionalLong.of(c.totalNanos())).orElse(OptionalLong.empty());
  }

  /** The server JVM's VmHWM so far, MiB; -1 if unknown. */
  public double peakRssMb() {
    return PeakRss.ofProcessMb(node.pid());
  }

  /** SIGTERM, which stops it cleanly; killed if it has not exited in time. */
  @Override
  public void close() {
    try {
      if (node.alive()) {
        node.terminate();
      }
    } catch (IOException | RuntimeException e) {
      System.err.println(node.name() + " did not stop cleanly: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      node.close();
    }
  }
}
