package io.kevo.bench.engine;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.RunResult;
import io.kevo.bench.workload.Workload;
import io.kevo.bench.workload.WorkloadParams;
import java.nio.file.Path;

/** Where a (workload, engine) pair runs: in a child JVM, or in this one. */
interface PairRunner {
  /** Runs {@code workload} on {@code engine} with a fresh database in the empty {@code dir}. */
  RunResult run(Workload workload, EngineKind engine, WorkloadParams params, Path dir);

  /** In this JVM: quick, but peak RSS is then the whole process's, shared by every pair. */
  PairRunner IN_PROCESS = PairRun::execute;
}
