package io.kevo.bench.replication;

import io.kevo.bench.report.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of the commands that run Kevo nodes as child JVMs ({@code replication}, {@code
 * safety}), as a picocli mixin: the nodes' heap and extra JVM options, where their data directories
 * go, and where the JSON results go. Not thread-safe (set by picocli, then read).
 */
final class NodeRunOptions {
  @Option(
      names = "--heap",
      defaultValue = "2g",
      description = "Maximum heap (-Xmx) of every node JVM (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(
      names = "--jvm-arg",
      paramLabel = "ARG",
      description =
          "Extra option for every node JVM; repeatable. {node} and {run} are replaced by the node"
              + " (standalone, primary, replica1, ...) and the run the command reports (e.g."
              + " zstd-0, lag, acks-all-0, bootstrap), e.g."
              + " -XX:StartFlightRecording=filename=repl-{node}-{run}.jfr,settings=profile")
  List<String> jvmArgs = new ArrayList<>();

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Where the nodes' data directories are created, fresh per cluster and deleted"
              + " afterwards (default: ./bench-work).")
  Path dir;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  /** {@link #jvmArgs} with {@code {node}} and {@code {run}} replaced. */
  List<String> nodeJvmArgs(String node, String run) {
    List<String> out = new ArrayList<>();
    for (String a : jvmArgs) {
      out.add(a.replace("{node}", node).replace("{run}", run));
    }
    return out;
  }

  /** Whether {@code --dir} was left out (the default base is then removed if left empty). */
  boolean defaultBase() {
    return dir == null;
  }

  /** Where run directories are created. */
  Path base() {
    return dir == null ? Path.of("bench-work") : dir;
  }

  /** Writes {@code results} to {@code --json}, if given. */
  void writeJson(Map<String, Object> results) throws IOException {
    if (json == null) {
      return;
    }
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(json, Json.pretty(results), StandardCharsets.UTF_8);
    System.err.println("wrote " + json);
  }

  /** Runs one step of a benchmark; a failure is printed and reported as false. */
  static boolean attempt(Runnable step) {
    try {
      step.run();
      return true;
    } catch (RuntimeException e) {
      System.err.println("  FAILED: " + e);
      e.printStackTrace();
      return false;
    }
  }
}
