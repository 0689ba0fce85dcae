package io.kevo.bench.tx;

import io.kevo.bench.adapter.TransactionalEngine;
import io.kevo.bench.report.LatencyHistogram;
import io.kevo.bench.report.PeakRss;
import io.kevo.bench.workload.TxParams;
import io.kevo.bench.workload.TxWorkload;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the {@code tx} workload on one engine in this JVM: open for transactions, load, warm up,
 * timed phase, read stats, close, read peak RSS (which therefore covers the untimed load too).
 */
final class TxRun {
  private TxRun() {}

  static TxRunResult execute(TxSubject engine, TxParams params, Path directory) {
    long t0 = System.nanoTime();
    TransactionalEngine adapter = engine.open(directory, params.engineSettings());
    double openMs = (System.nanoTime() - t0) / 1e6;
    TxWorkload.Result result;
    Map<String, Long> stats;
    String options;
    String transactions;
    try {
      result = TxWorkload.run(adapter, params);
      stats = adapter.stats();
      options = adapter.describeOptions();
      transactions = adapter.describeTransactions();
    } finally {
      t0 = System.nanoTime();
      adapter.close();
    }
    double closeMs = (System.nanoTime() - t0) / 1e6;
    return new TxRunResult(
        engine.id(),
        params.threads(),
        result.seconds(),
        result.attempts(),
        result.commits(),
        result.aborts(),
        micros(result.commit()),
        micros(result.whole()),
        PeakRss.currentProcessMb(),
        openMs,
        closeMs,
        stats,
        options,
        transactions,
        result.details());
  }

  private static TxRunResult.Latency micros(LatencyHistogram h) {
    return new TxRunResult.Latency(
        h.mean() / 1e3,
        h.percentile(50) / 1e3,
        h.percentile(99) / 1e3,
        h.percentile(99.9) / 1e3,
        h.max() / 1e3);
  }
}
