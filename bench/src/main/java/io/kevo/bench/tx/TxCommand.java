package io.kevo.bench.tx;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Outcome;
import io.kevo.bench.run.ChildJvm;
import io.kevo.bench.run.Dirs;
import io.kevo.bench.workload.TxParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
      "both: first committer wins on written keys. WAL on, no sync."
    })
public final class TxCommand implements Callable<Integer> {
  @Mixin TxOptions txOptions = new TxOptions();
  @Mixin BenchOptions.JsonOut json = new BenchOptions.JsonOut();
  @Mixin BenchOptions.WorkDir dir = new BenchOptions.WorkDir();
  @Mixin BenchOptions.ChildJvms jvms = new BenchOptions.ChildJvms("4g");
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
    TxParams params = txOptions.toParams();

    Path base = dir.base();
    Path runDir = dir.createRunDir("tx-");
    Map<EngineKind, List<Outcome<TxRunResult>>> runs = new LinkedHashMap<>();
    try {
      // Repeats alternate the engines so that drift on a shared machine hits both alike.
      for (int r = 0; r < repeat; r++) {
        for (EngineKind e : kinds) {
          Path engineDir = runDir.resolve("tx-" + e.id() + "-" + r);
          runs.computeIfAbsent(e, k -> new ArrayList<>()).add(runOne(e, r, params, engineDir));
        }
      }
    } finally {
      dir.cleanUp(runDir);
    }
    List<Outcome<TxRunResult>> outcomes = new ArrayList<>();
    runs.values().forEach(list -> outcomes.add(Outcome.median(list, TxRunResult::txPerSec)));

    Map<String, Object> runConfig = new LinkedHashMap<>();
    runConfig.put("repeat", repeat);
    runConfig.put("forked", fork);
    runConfig.put("child_heap", fork ? jvms.heap() : null);
    runConfig.put("child_jvm_args", fork ? jvms.jvmArgs() : List.of());
    runConfig.put("data_dir", base.toAbsolutePath().toString());
    TxReport report = new TxReport(params, runConfig, outcomes);
    System.out.print(report.table());
    json.write(report.json());
    return outcomes.stream().allMatch(Outcome::succeeded) ? 0 : 1;
  }

  private Outcome<TxRunResult> runOne(EngineKind e, int run, TxParams params, Path engineDir) {
    System.err.printf("running tx on %s in %s%n", e.id(), engineDir);
    try {
      Files.createDirectories(engineDir);
      TxRunResult r =
          fork.fork()
              ? ChildJvm.run(command(e, run, params, engineDir), "tx/" + e.id(), TxRunResult.class)
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
      return Outcome.ok("tx", e.id(), r, r.txPerSec());
    } catch (RuntimeException | IOException ex) {
      System.err.printf("  tx/%s FAILED: %s%n", e.id(), ex);
      return Outcome.failed("tx", e.id(), String.valueOf(ex.getMessage()));
    } finally {
      Dirs.deleteRecursively(engineDir);
    }
  }

  List<String> command(EngineKind e, int run, TxParams params, Path engineDir) {
    List<String> args = new ArrayList<>();
    args.add("tx-worker");
    args.add("--engine=" + e.id());
    args.add("--dir=" + engineDir.toAbsolutePath());
    args.add(ChildJvm.paramsArg(params));
    return ChildJvm.command(jvms.heap(), jvms.jvmArgs(e.id(), Integer.toString(run)), args);
  }
}
