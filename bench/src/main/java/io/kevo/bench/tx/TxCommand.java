package io.kevo.bench.tx;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.Json;
import io.kevo.bench.run.ChildJvm;
import io.kevo.bench.run.Dirs;
import io.kevo.bench.workload.TxParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  @Option(
      names = "--engines",
      split = ",",
      defaultValue = "kevo,rocksdb",
      description = "Engines to run, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> engines;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Where the databases are created, one fresh directory per run, deleted afterwards"
              + " (default: ./bench-work).")
  Path dir;

  @Option(
      names = "--heap",
      defaultValue = "4g",
      description = "Maximum heap (-Xmx) of each child JVM (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(
      names = "--jvm-arg",
      paramLabel = "ARG",
      description =
          "Extra option for the child JVMs; repeatable. {engine} and {run} are replaced by the"
              + " engine id and run number, e.g."
              + " -XX:StartFlightRecording=filename=tx-{engine}-{run}.jfr,settings=profile")
  List<String> jvmArgs = new ArrayList<>();

  @Option(
      names = "--fork",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Run each engine in its own JVM so peak RSS is per engine"
              + " (default: ${DEFAULT-VALUE}; --no-fork runs in this JVM).")
  boolean fork;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description =
          "Runs per engine, alternating engines; the run with the median committed tx/s is"
              + " reported and every run's tx/s is kept in the JSON (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Override
  public Integer call() throws IOException {
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
    }
    List<EngineKind> kinds = new ArrayList<>();
    for (String id : engines) {
      kinds.add(EngineKind.fromId(id));
    }
    TxParams params = txOptions.toParams();

    boolean defaultBase = dir == null;
    Path base = defaultBase ? Path.of("bench-work") : dir;
    Files.createDirectories(base);
    Path runDir = Files.createTempDirectory(base, "tx-");
    Map<EngineKind, List<TxOutcome>> runs = new LinkedHashMap<>();
    try {
      // Repeats alternate the engines so that drift on a shared machine hits both alike.
      for (int r = 0; r < repeat; r++) {
        for (EngineKind e : kinds) {
          Path engineDir = runDir.resolve("tx-" + e.id() + "-" + r);
          runs.computeIfAbsent(e, k -> new ArrayList<>()).add(runOne(e, r, params, engineDir));
        }
      }
    } finally {
      Dirs.deleteRecursively(runDir);
      if (defaultBase) {
        Dirs.deleteIfEmpty(base);
      }
    }
    List<TxOutcome> outcomes = new ArrayList<>();
    runs.values().forEach(list -> outcomes.add(TxOutcome.median(list)));

    Map<String, Object> runConfig = new LinkedHashMap<>();
    runConfig.put("repeat", repeat);
    runConfig.put("forked", fork);
    runConfig.put("child_heap", fork ? heap : null);
    runConfig.put("child_jvm_args", fork ? List.copyOf(jvmArgs) : List.of());
    runConfig.put("data_dir", base.toAbsolutePath().toString());
    TxReport report = new TxReport(params, runConfig, outcomes);
    System.out.print(report.table());
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, Json.pretty(report.json()), StandardCharsets.UTF_8);
      System.err.println("wrote " + json);
    }
    return outcomes.stream().allMatch(TxOutcome::succeeded) ? 0 : 1;
  }

  private TxOutcome runOne(EngineKind e, int run, TxParams params, Path engineDir) {
    System.err.printf("running tx on %s in %s%n", e.id(), engineDir);
    try {
      Files.createDirectories(engineDir);
      TxRunResult r =
          fork
              ? TxRunResult.fromJson(
                  ChildJvm.run(command(e, run, params, engineDir), "tx/" + e.id()))
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
      return TxOutcome.ok(r);
    } catch (RuntimeException | IOException ex) {
      System.err.printf("  tx/%s FAILED: %s%n", e.id(), ex);
      return TxOutcome.failed(e.id(), String.valueOf(ex.getMessage()));
    } finally {
      Dirs.deleteRecursively(engineDir);
    }
  }

  List<String> command(EngineKind e, int run, TxParams params, Path engineDir) {
    List<String> args = new ArrayList<>();
    args.add("tx-worker");
    args.add("--engine=" + e.id());
    args.add("--dir=" + engineDir.toAbsolutePath());
    args.addAll(TxOptions.toArgs(params));
    List<String> jvm = new ArrayList<>();
    for (String a : jvmArgs) {
      jvm.add(a.replace("{engine}", e.id()).replace("{run}", Integer.toString(run)));
    }
    return ChildJvm.command(heap, jvm, args);
  }
}
