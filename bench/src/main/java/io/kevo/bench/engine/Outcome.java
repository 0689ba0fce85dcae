package io.kevo.bench.engine;

import io.kevo.bench.report.RunResult;

/**
 * What running one (workload, engine) pair gave: a result, or the reason there is none.
 *
 * @param workload workload id
 * @param engine engine id
 * @param result the measurement, or {@code null} if the run failed
 * @param error why it failed, or {@code null}
 */
record Outcome(String workload, String engine, RunResult result, String error) {
  static Outcome ok(RunResult result) {
    return new Outcome(result.workload(), result.engine(), result, null);
  }

  static Outcome failed(String workload, String engine, String error) {
    return new Outcome(workload, engine, null, error);
  }

  boolean succeeded() {
    return result != null;
  }
}
