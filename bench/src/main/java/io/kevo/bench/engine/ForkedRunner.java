package io.kevo.bench.engine;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.run.ChildJvm;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each pair in a child JVM ({@link ChildJvm}) so that its peak RSS is that engine's alone and
 * no engine inherits the other's JIT state, heap or page cache of its own making. Thread-safe
 * (stateless apart from its configuration).
 */
final class ForkedRunner implements PairRunner {
  private final String heap;
  private final BenchOptions.ChildJvms jvms;

  /**
   * {@code jvms}' {@code --jvm-arg}s get {@code {engine}} and {@code {run}} (the run's directory).
   */
  ForkedRunner(String heap, BenchOptions.ChildJvms jvms) {
    this.heap = heap;
    this.jvms = jvms;
  }

  List<String> command(Workload workload, EngineKind engine, WorkloadParams params, Path dir) {
    List<String> args = new ArrayList<>();
    args.add("worker");
    args.add("--workload=" + workload.id());
    args.add("--engine=" + engine.id());
    args.add("--dir=" + dir.toAbsolutePath());
    args.add(ChildJvm.paramsArg(params));
    return ChildJvm.command(heap, jvms.jvmArgs(engine.id(), dir.getFileName().toString()), args);
  }

  @Override
  public RunResult run(Workload workload, EngineKind engine, WorkloadParams params, Path dir) {
    return ChildJvm.run(
        command(workload, engine, params, dir),
        "workload " + workload.id() + " on " + engine.id(),
        RunResult.class);
  }
}
