package io.kevo.bench.engine;

import io.kevo.bench.BenchMain;
import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.Json;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each pair in a child JVM (same {@code java} binary and class path, fixed heap) so that its
 * peak RSS is that engine's alone and no engine inherits the other's JIT state, heap or page cache
 * of its own making. The child's stderr is passed through; its stdout is scanned for the result
 * line. Thread-safe (stateless apart from its configuration).
 */
final class ForkedRunner implements PairRunner {
  private final String heap;
  private final List<String> jvmArgs;

  ForkedRunner(String heap, List<String> jvmArgs) {
    this.heap = heap;
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  List<String> command(Workload workload, EngineKind engine, WorkloadParams params, Path dir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchMain.class.getName());
    cmd.add("worker");
    cmd.add("--workload=" + workload.id());
    cmd.add("--engine=" + engine.id());
    cmd.add("--dir=" + dir.toAbsolutePath());
    cmd.addAll(WorkloadOptions.toArgs(params));
    return cmd;
  }

  @Override
  public RunResult run(Workload workload, EngineKind engine, WorkloadParams params, Path dir) {
    ProcessBuilder pb = new ProcessBuilder(command(workload, engine, params, dir));
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
          if (line.startsWith(WorkerCommand.RESULT_PREFIX)) {
            resultLine = line.substring(WorkerCommand.RESULT_PREFIX.length());
          } else {
            System.err.println("[" + workload.id() + "/" + engine.id() + "] " + line);
          }
        }
      }
      int exit = child.waitFor();
      if (exit != 0 || resultLine == null) {
        throw new IllegalStateException(
            "child JVM for workload "
                + workload.id()
                + " on "
                + engine.id()
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
    return RunResult.fromJson(Json.parseObject(resultLine));
  }
}
