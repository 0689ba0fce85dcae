package io.kevo.bench.tx;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Outcome;
import io.kevo.bench.run.ChildJvm;
import io.kevo.bench.workload.TxParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kevo-bench tx}: the transaction benchmark. Runs the same workload ({@link
 * io.kevo.bench.workload.TxWorkload}) on Kevo and on RocksDB's {@code OptimisticTransactionDB},
 * each in a fresh database directory and (by default) its own child JVM, then prints one table with
 * the Kevo/RocksDB ratio of committed transactions per second and optionally writes the JSON
 * report. Exit code 0 when every engine ran (whether or not the bar is met), 1 when any failed.
 */
@Command(
    name = "tx",
    mixinStandardHelpOptions = true,
    description = {
      "Compares Kevo's transactions with RocksDB's OptimisticTransactionDB in one run.",
      "Loads --num keys (untimed, batched, compacted), then --threads threads run transactions",
      "for --duration-s seconds (or --txns in all): --reads point reads and --writes puts of",
      "random loaded keys, commit; a conflict is an abort (no retry). Snapshot isolation on",
      "both: first committer wins on written keys. WAL on, no sync. --mode also (or only) runs",
      "Kevo's pessimistic transactions (keys locked until the end; informational, no bar)."
    })
public final class TxCommand implements Callable<Integer> {
  @Mixin TxOptions txOptions = new TxOptions();
  @Mixin BenchOptions.JsonOut json = new BenchOptions.JsonOut();
  @Mixin BenchOptions.WorkDir dir = new BenchOptions.WorkDir();
  @Mixin BenchOptions.ChildJvms jvms = new BenchOptions.ChildJvms(BenchOptions.ChildJvms.AUTO);
  @Mixin BenchOptions.Fork fork = new BenchOptions.Fork();
  @Mixin BenchOptions.Repeat repeat = new BenchOptions.Repeat();

  @Option(
      names = "--engines",
      split = ",",
      defaultValue = "kevo,rocksdb",
      description = "Engines to run, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> engines;

  @Override
  public Integer call() throws IOException {
    int repeat = this.repeat.count();
    boolean fork = this.fork.fork();
    List<EngineKind> kinds = new ArrayList<>();
    for (String id : engines) {
      kinds.add(EngineKind.fromId(id));
    }
    List<TxSubject> subjects = TxSubject.of(kinds, txOptions.mode());
    TxParams params = txOptions.toParams();
    jvms.resolveAuto(params.engineSettings().kevoHeap());

    Path base = dir.base();
    Path runDir = dir.createRunDir("tx-");
    List<Outcome<TxRunResult>> outcomes;
    try {
      outcomes =
          Outcome.alternating(
              subjects,
              repeat,
              (e, r) -> runOne(e, r, params, runDir.resolve("tx-" + e.id() + "-" + r)),
              TxRunResult::txPerSec);
    } finally {
      dir.cleanUp(runDir);
    }

    Map<String, Object> runConfig = this.fork.runConfig(repeat, jvms, base);
    json.publish(new TxReport(params, runConfig, outcomes).report(json.commandLine("tx")));
    return outcomes.stream().allMatch(Outcome::succeeded) ? 0 : 1;
  }

  private Outcome<TxRunResult> runOne(TxSubject e, int run, TxParams params, Path engineDir) {
    System.err.printf("running tx on %s in %s%n", e.id(), engineDir);
    return Outcome.attempt(
        "tx",
        e.id(),
        engineDir,
        () -> {
          TxRunResult r =
              fork.fork()
                  ? ChildJvm.run(
                      command(e, run, params, engineDir), "tx/" + e.id(), TxRunResult.class)
                  : TxRun.execute(e, params, engineDir);
          System.err.printf(
              "  tx/%s: %.0f committed tx/s, conflict rate %.6f, commit p50 %.1f µs p99 %.1f µs,"
                  + " peak RSS %.0f MiB%n",
              e.id(),
              r.txPerSec(),
              r.conflictRate(),
              r.commitUs().p50(),
              r.commitUs().p99(),
              r.peakRssMb());
          return r;
        },
        TxRunResult::txPerSec);
  }

  List<String> command(TxSubject e, int run, TxParams params, Path engineDir) {
    List<String> args = new ArrayList<>();
    args.add("tx-worker");
    args.add("--engine=" + e.id());
    args.add("--dir=" + engineDir.toAbsolutePath());
    args.add(ChildJvm.paramsArg(params));
    return ChildJvm.command(jvms.heap(), jvms.jvmArgs(e.id(), Integer.toString(run)), args);
  }
}
