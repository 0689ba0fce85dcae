package io.kevo.bench.engine;

import io.kevo.bench.report.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What running one (workload, engine) pair gave: a result, or the reason there is none.
 *
 * @param workload workload id
 * @param engine engine id
 * @param result the measurement (the median run when repeated), or {@code null} if a run failed
 * @param error why it failed, or {@code null}
 * @param opsPerSecRuns ops/s of every run, in run order
 */
record Outcome(
    String workload, String engine, RunResult result, String error, List<Double> opsPerSecRuns) {
  static Outcome ok(RunResult result) {
    return new Outcome(
        result.workload(), result.engine(), result, null, List.of(result.phase().opsPerSec()));
  }

  static Outcome failed(String workload, String engine, String error) {
    return new Outcome(workload, engine, null, error, List.of());
  }

  /**
   * One outcome for repeated runs of the same pair: the run with the median ops/s (the lower middle
   * one for an even count), or the first failure.
   */
  static Outcome median(List<Outcome> runs) {
    for (Outcome o : runs) {
      if (!o.succeeded()) {
        return o;
      }
    }
    List<Double> all = new ArrayList<>();
    runs.forEach(o -> all.add(o.result().phase().opsPerSec()));
    List<Outcome> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(o -> o.result().phase().opsPerSec()));
    Outcome mid = sorted.get((sorted.size() - 1) / 2);
    return new Outcome(mid.workload(), mid.engine(), mid.result(), null, List.copyOf(all));
  }

  boolean succeeded() {
    return result != null;
  }
}
