package io.kevo.bench.engine;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.PeakRss;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import io.kevo.bench.workload.WorkloadResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one workload on one engine in this JVM: open, run (load, warm-up, timed phase, settle), read
 * stats, close, read peak RSS (which therefore covers the untimed load phase too).
 */
final class PairRun {
  private PairRun() {}

  static RunResult execute(
      Workload workload, EngineKind engine, WorkloadParams params, Path directory) {
    long t0 = System.nanoTime();
    EngineAdapter adapter = engine.open(directory, params.engineSettings());
    double openMs = (System.nanoTime() - t0) / 1e6;
    WorkloadResult result;
    Map<String, Long> stats;
    String options;
    try {
      result = workload.run(adapter, params);
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
        result.phase(),
        PeakRss.currentProcessMb(),
        openMs,
        closeMs,
        stats,
        options,
        workload.unit(),
        result.writeAmp(),
        result.details());
  }
}
