package io.kevo.bench.engine;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Outcome;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import io.kevo.bench.workload.Workloads;
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
 * {@code kevo-bench engine}: runs each selected workload on each selected engine, every pair in a
 * fresh database directory and (by default) its own child JVM, then prints one table with the
 * Kevo/RocksDB ops/s ratio and optionally writes the JSON report. Exit code 0 when every pair ran
 * (whether or not the bar is met), 1 when any failed.
 */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = {
      "Compares Kevo with RocksDB on the same workloads in one run.",
      "  a: random puts, 1 thread, WAL on, no sync",
      "  b: random puts in batches (--batch-size), 1 thread, WAL on, no sync",
      "  c: random puts, --threads writers, sync on every write (group commit), --sync-num ops",
      "  fillrandom, fillseq: --num puts (random / ascending keys) into an empty database",
      "  overwrite: --num random puts over --num loaded keys",
      "  readrandom, readrandom10m: random point reads of --num / --big-num loaded keys",
      "  readmissing: point reads of keys never written (bloom filters)",
      "  seekrandom: seek to a random loaded key + 10 nexts",
      "  scan: full forward scans, keys/s",
      "  mixed: --threads threads, 90%% reads / 10%% overwrites, --num ops",
      "Read, overwrite and mixed workloads load, flush and fully compact first (untimed)."
    })
public final class EngineCommand implements Callable<Integer> {
  @Mixin WorkloadOptions workloadOptions = new WorkloadOptions();
  @Mixin BenchOptions.JsonOut json = new BenchOptions.JsonOut();
  @Mixin BenchOptions.WorkDir dir = new BenchOptions.WorkDir();
  @Mixin BenchOptions.ChildJvms jvms = new BenchOptions.ChildJvms(BenchOptions.ChildJvms.AUTO);
  @Mixin BenchOptions.Fork fork = new BenchOptions.Fork();
  @Mixin BenchOptions.Repeat repeat = new BenchOptions.Repeat();

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "a,b,c",
      description = "Workloads to run, comma-separated, or 'all' (default: ${DEFAULT-VALUE}).")
  List<String> workloads;

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
    List<Workload> selected = new ArrayList<>();
    for (String id : workloads) {
      if (id.trim().equalsIgnoreCase("all")) {
        selected.addAll(Workloads.engineWorkloads());
      } else {
        selected.add(Workloads.byId(id));
      }
    }
    List<EngineKind> kinds = new ArrayList<>();
    for (String id : engines) {
      kinds.add(EngineKind.fromId(id));
    }
    WorkloadParams params = workloadOptions.toParams();
    jvms.resolveAuto(params.engineSettings().kevoHeap());
    PairRunner runner = fork ? new ForkedRunner(jvms.heap(), jvms) : PairRunner.IN_PROCESS;

    Path base = dir.base();
    Path runDir = dir.createRunDir("run-");
    List<Outcome<RunResult>> outcomes = new ArrayList<>();
    try {
      for (Workload w : selected) {
        outcomes.addAll(
            Outcome.alternating(
                kinds,
                repeat,
                (e, r) ->
                    runPair(runner, w, e, params, runDir.resolve(w.id() + "-" + e.id() + "-" + r)),
                r -> r.phase().opsPerSec()));
      }
    } finally {
      dir.cleanUp(runDir);
    }

    Map<String, Object> runConfig = this.fork.runConfig(repeat, jvms, base);
    json.publish(
        new EngineReport(selected, kinds, params, runConfig, outcomes)
            .report(json.commandLine("engine")));
    return outcomes.stream().allMatch(Outcome::succeeded) ? 0 : 1;
  }

  private static Outcome<RunResult> runPair(
      PairRunner runner, Workload w, EngineKind e, WorkloadParams params, Path pairDir) {
    System.err.printf("running %s (%s) on %s in %s%n", w.id(), w.description(), e.id(), pairDir);
    return Outcome.attempt(
        w.id(),
        e.id(),
        pairDir,
        () -> {
          RunResult r = runner.run(w, e, params, pairDir);
          System.err.printf(
              "  %s/%s: %.0f %s/s, p50 %.1f µs, p99 %.1f µs, peak RSS %.0f MiB%s%n",
              w.id(),
              e.id(),
              r.phase().opsPerSec(),
              r.unit(),
              r.phase().p50Us(),
              r.phase().p99Us(),
              r.peakRssMb(),
              r.writeAmp() == null
                  ? ""
                  : String.format(", write amp %.3f", r.writeAmp().amplification()));
          return r;
        },
        r -> r.phase().opsPerSec());
  }
}
