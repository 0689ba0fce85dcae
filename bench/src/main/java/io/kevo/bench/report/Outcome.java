package io.kevo.bench.report;

import io.kevo.bench.run.Dirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
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

  /**
   * This outcome in a report: the result's JSON with every run's rate under {@code runsKey}, or
   * {@code {"error": …}}.
   */
  public Map<String, Object> json(Function<R, Map<String, Object>> toJson, String runsKey) {
    if (!succeeded()) {
      return Map.of("error", error);
    }
    Map<String, Object> m = toJson.apply(result);
    m.put(runsKey, rateRuns);
    return m;
  }

  /**
   * Runs one side in {@code dir}, created first and deleted afterwards: its result, or its failure
   * (printed to stderr as {@code workload/engine FAILED}).
   */
  public static <R> Outcome<R> attempt(
      String workload, String engine, Path dir, Callable<R> run, ToDoubleFunction<R> rate) {
    try {
      Files.createDirectories(dir);
      R r = run.call();
      return ok(workload, engine, r, rate.applyAsDouble(r));
    } catch (Exception ex) {
      System.err.printf("  %s/%s FAILED: %s%n", workload, engine, ex);
      return failed(workload, engine, String.valueOf(ex.getMessage()));
    } finally {
      Dirs.deleteRecursively(dir);
    }
  }

  /**
   * Runs every engine {@code repeat} times, the engines alternating within each repeat so that
   * drift on a shared machine hits them alike, and gives each engine's {@link #median} outcome, in
   * engine order.
   *
   * @param run one run of an engine, given the repeat's index
   */
  public static <E, R> List<Outcome<R>> alternating(
      List<E> engines,
      int repeat,
      BiFunction<E, Integer, Outcome<R>> run,
      ToDoubleFunction<R> rate) {
    Map<E, List<Outcome<R>>> runs = new LinkedHashMap<>();
    for (int r = 0; r < repeat; r++) {
      for (E e : engines) {
        runs.computeIfAbsent(e, k -> new ArrayList<>()).add(run.apply(e, r));
      }
    }
    List<Outcome<R>> out = new ArrayList<>();
    runs.values().forEach(list -> out.add(median(list, rate)));
    return out;
  }
}
