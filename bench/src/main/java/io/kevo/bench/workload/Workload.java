package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;
import io.kevo.bench.report.PhaseResult;

/**
 * One benchmark scenario, identified by a short id ({@code a}, {@code b}, …). A workload is
 * stateless and is run once per engine, each time against a freshly opened, empty database.
 */
public interface Workload {

  /** The id used on the command line and in the JSON report. */
  String id();

  /** One line saying what the workload does, printed with the results. */
  String description();

  /**
   * Runs the workload's timed phase (after its own untimed warm-up) against {@code engine} and
   * returns what was measured. Opening and closing the engine are the caller's business.
   */
  PhaseResult run(EngineAdapter engine, WorkloadParams params);
}
