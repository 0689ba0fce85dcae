package io.kevo.bench.tx;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Json;
import io.kevo.bench.run.ChildJvm;
import io.kevo.bench.workload.TxParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The child side of a forked {@code tx} run: runs the workload on one engine in this fresh JVM and
 * prints the result as one JSON line on stdout ({@link ChildJvm#printResult}). Diagnostics go to
 * stderr.
 */
@Command(name = "tx-worker", hidden = true, description = "Runs the tx workload on one engine.")
public final class TxWorkerCommand implements Callable<Integer> {
  @Option(names = "--engine", required = true)
  String engine;

  @Mixin BenchOptions.WorkerDir dir = new BenchOptions.WorkerDir();

  @Option(names = "--params", required = true, description = "The workload parameters, JSON.")
  String params;

  @Override
  public Integer call() {
    TxRunResult result =
        TxRun.execute(TxSubject.fromId(engine), Json.read(params, TxParams.class), dir.dir());
    ChildJvm.printResult(result);
    return 0;
  }
}
