package io.kevo.bench.tx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What running the {@code tx} workload on one engine gave: a result, or why there is none.
 *
 * @param engine engine id
 * @param result the measurement (the median run when repeated), or {@code null} if a run failed
 * @param error why it failed, or {@code null}
 * @param txPerSecRuns committed tx/s of every run, in run order
 */
record TxOutcome(String engine, TxRunResult result, String error, List<Double> txPerSecRuns) {
  static TxOutcome ok(TxRunResult result) {
    return new TxOutcome(result.engine(), result, null, List.of(result.txPerSec()));
  }

  static TxOutcome failed(String engine, String error) {
    return new TxOutcome(engine, null, error, List.of());
  }

  /** The run with the median committed tx/s (the lower middle for an even count), or a failure. */
  static TxOutcome median(List<TxOutcome> runs) {
    for (TxOutcome o : runs) {
      if (!o.succeeded()) {
        return o;
      }
    }
    List<Double> all = new ArrayList<>();
    runs.forEach(o -> all.add(o.result().txPerSec()));
    List<TxOutcome> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(o -> o.result().txPerSec()));
    TxOutcome mid = sorted.get((sorted.size() - 1) / 2);
    return new TxOutcome(mid.engine(), mid.result(), null, List.copyOf(all));
  }

  boolean succeeded() {
    return result != null;
  }
}
