package io.kevo.bench.server;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Json;
import io.kevo.bench.run.ChildJvm;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The embedded side of a {@code server} run, in a fresh JVM of the same heap as the server's: runs
 * every phase on the engine in-process ({@link EmbeddedRun}) and prints the result as one JSON line
 * on stdout ({@link ChildJvm#printResult}). Diagnostics go to stderr.
 */
@Command(
    name = "server-embedded",
    hidden = true,
    description = "Runs the server workloads on the embedded engine.")
public final class EmbeddedWorkerCommand implements Callable<Integer> {
  @Mixin BenchOptions.WorkerDir dir = new BenchOptions.WorkerDir();

  @Option(names = "--params", required = true, description = "The workload parameters, JSON.")
  String params;

  LoadParams params() {
    return Json.read(params, LoadParams.class);
  }

  @Override
  public Integer call() {
    ChildJvm.printResult(EmbeddedRun.execute(params(), dir.dir()));
    return 0;
  }
}
