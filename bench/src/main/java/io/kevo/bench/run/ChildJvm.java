package io.kevo.bench.run;

import io.kevo.bench.BenchMain;
import io.kevo.bench.report.Json;
import io.kevo.testkit.KevoDistribution;
import io.kevo.testkit.NodeLauncher;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts one benchmark child: a fresh JVM (same {@code java} binary and class path, fixed heap)
 * running one hidden {@code kevo-bench} worker subcommand, so that its peak RSS is that engine's
 * alone and no engine inherits the other's JIT state or heap. The child's stderr is passed through;
 * its stdout is scanned for the one line starting with {@link #RESULT_PREFIX}, whose JSON object is
 * the result; other stdout lines are echoed to stderr, labelled. Stateless.
 */
public final class ChildJvm {
  /** Marks the result line among anything else a child might print on stdout. */
  public static final String RESULT_PREFIX = "KEVO-BENCH-RESULT ";

  private ChildJvm() {}

  /**
   * The command line of a child JVM running {@code kevo-bench <workerArgs>}: {@code -Xmx<heap>},
   * SLF4J at warn, then {@code jvmArgs} in order.
   */
  public static List<String> command(String heap, List<String> jvmArgs, List<String> workerArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    // Absolute: a node process runs in a directory of its own.
    cmd.add(
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(e -> Path.of(e).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator)));
    cmd.add(BenchMain.class.getName());
    cmd.addAll(workerArgs);
    return cmd;
  }

  /**
   * A kevo-testkit launcher of {@code kevo-bench server-node} children with {@code -Xmx<heap>} and,
   * before {@code jvmArgs}, the collector options the {@code kevo} launchers give users' nodes
   * ({@link KevoDistribution#COLLECTOR_OPTIONS}).
   */
  public static NodeLauncher nodeLauncher(String heap) {
    return (jvmArgs, serverArgs) -> {
      List<String> args = new ArrayList<>();
      args.add("server-node");
      args.addAll(serverArgs);
      List<String> jvm = new ArrayList<>(KevoDistribution.COLLECTOR_OPTIONS);
      jvm.addAll(jvmArgs);
      return command(heap, jvm, args);
    };
  }

  /**
   * Runs {@code command} to completion and returns its result, a {@code type} it printed with
   * {@link #printResult}.
   *
   * @param label names the child in echoed output and errors, e.g. {@code a/kevo}
   * @throws IllegalStateException if the child cannot start, exits non-zero or prints no result
   */
  public static <T> T run(List<String> command, String label, Class<T> type) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    String resultLine = null;
    Process child = null;
    try {
      child = pb.start();
      child.getOutputStream().close();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith(RESULT_PREFIX)) {
            resultLine = line.substring(RESULT_PREFIX.length());
          } else {
            System.err.println("[" + label + "] " + line);
          }
        }
      }
      int exit = child.waitFor();
      if (exit != 0 || resultLine == null) {
        throw new IllegalStateException(
            "child JVM for "
                + label
                + " exited with "
                + exit
                + (resultLine == null ? " without a result" : ""));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run child JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the child JVM", e);
    }
    return Json.read(resultLine, type);
  }

  /** The worker option carrying {@code params} (a record) to a child, as one JSON argument. */
  public static String paramsArg(Object params) {
    return "--params=" + Json.compact(params);
  }

  /** Prints {@code result} (a record) as the child's result line on stdout. */
  public static void printResult(Object result) {
    System.out.println(RESULT_PREFIX + Json.compact(result));
    System.out.flush();
  }
}
