package io.kevo.bench.engine;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Json;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.run.ChildJvm;
import io.kevo.bench.workload.WorkloadParams;
import io.kevo.bench.workload.Workloads;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The child side of a forked run: runs one workload on one engine in this fresh JVM, so that the
 * peak RSS it reports belongs to that engine alone, and prints the result as one JSON line on
 * stdout, prefixed with {@link #RESULT_PREFIX}. Diagnostics go to stderr.
 */
@Command(name = "worker", hidden = true, description = "Runs one (workload, engine) pair.")
public final class WorkerCommand implements Callable<Integer> {
  /** Marks the result line among anything else a child might print on stdout. */
  public static final String RESULT_PREFIX = ChildJvm.RESULT_PREFIX;

  @Option(names = "--workload", required = true)
  String workload;

  @Option(names = "--engine", required = true)
  String engine;

  @Mixin BenchOptions.WorkerDir dir = new BenchOptions.WorkerDir();

  @Option(names = "--params", required = true, description = "The workload parameters, JSON.")
  String params;

  @Override
  public Integer call() {
    RunResult result =
        PairRun.execute(
            Workloads.byId(workload),
            EngineKind.fromId(engine),
            Json.read(params, WorkloadParams.class),
            dir.dir());
    ChildJvm.printResult(result);
    return 0;
  }
}
