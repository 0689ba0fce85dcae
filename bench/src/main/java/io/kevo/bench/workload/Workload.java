package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineAdapter;

/**
 * One benchmark scenario, identified by a short id ({@code a}, {@code fillrandom}, …). A workload
 * is stateless and is run once per engine, each time against a freshly opened, empty database: any
 * data it reads it loads itself, untimed.
 */
public interface Workload {

  /** The id used on the command line and in the JSON report. */
  String id();

  /** One line saying what the workload does, printed with the results. */
  String description();

  /** What one counted operation is: {@code ops}, or {@code keys} for a scan. */
  default String unit() {
    return "ops";
  }

  /** What Kevo must reach against RocksDB on this workload. */
  default Target target() {
    return Target.NONE;
  }

  /**
   * Loads what it needs (untimed), runs the untimed warm-up and the timed phase against {@code
   * engine}, and returns what was measured. Opening and closing the engine are the caller's
   * business.
   */
  WorkloadResult run(EngineAdapter engine, WorkloadParams params);
}
