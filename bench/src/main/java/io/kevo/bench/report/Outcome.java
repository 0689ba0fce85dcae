package io.kevo.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What one measured side of a benchmark (an engine on a workload) gave over its runs: the result of
 * the run with the median rate, or why there is none. Immutable.
 *
 * @param workload workload id
 * @param engine engine id
 * @param result the measurement (the median run when repeated), or {@code null} if a run failed
 * @param error why it failed, or {@code null}
 * @param rateRuns the rate (ops/s, tx/s) of every run, in run order
 * @param <R> the benchmark's result record
 */
public record Outcome<R>(
    String workload, String engine, R result, String error, List<Double> rateRuns) {
  public static <R> Outcome<R> ok(String workload, String engine, R result, double rate) {
    return new Outcome<>(workload, engine, result, null, List.of(rate));
  }

  public static <R> Outcome<R> failed(String workload, String engine, String error) {
    return new Outcome<>(workload, engine, null, error, List.of());
  }

  /**
   * One outcome for repeated runs of the same side: the run with the median {@code rate} (the lower
   * middle one for an even count), or the first failure.
   */
  public static <R> Outcome<R> median(List<Outcome<R>> runs, ToDoubleFunction<R> rate) {
    for (Outcome<R> o : runs) {
      if (!o.succeeded()) {
        return o;
      }
    }
    List<Double> all = new ArrayList<>();
    runs.forEach(o -> all.add(rate.applyAsDouble(o.result())));
    Outcome<R> mid = Figures.median(runs, o -> rate.applyAsDouble(o.result()));
    return new Outcome<>(mid.workload(), mid.engine(), mid.result(), null, List.copyOf(all));
  }

  public boolean succeeded() {
    return result != null;
  }
}
