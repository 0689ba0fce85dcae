package io.kevo.bench.engine;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.PeakRss;
import io.kevo.bench.report.PhaseResult;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import java.nio.file.Path;
import java.util.Map;

/** Runs one workload on one engine in this JVM: open, run, read stats, close, read peak RSS. */
final class PairRun {
  private PairRun() {}

  static RunResult execute(
      Workload workload, EngineKind engine, WorkloadParams params, Path directory) {
    long t0 = System.nanoTime();
    EngineAdapter adapter = engine.open(directory);
    double openMs = (System.nanoTime() - t0) / 1e6;
    PhaseResult phase;
    Map<String, Long> stats;
    String options;
    try {
      phase = workload.run(adapter, params);
      stats = adapter.stats();
      options = adapter.describeOptions();
    } finally {
      t0 = System.nanoTime();
      adapter.close();
    }
    double closeMs = (System.nanoTime() - t0) / 1e6;
    return new RunResult(
        workload.id(),
        engine.id(),
        phase,
        PeakRss.currentProcessMb(),
        openMs,
        closeMs,
        stats,
        options);
  }
}
