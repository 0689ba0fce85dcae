/**
 * The {@code engine} command: each selected workload ({@link io.kevo.bench.workload.Workloads}) on
 * Kevo and on RocksDB, each (workload, engine) pair in a fresh directory and, by default, its own
 * child JVM (the hidden {@code worker} subcommand, {@link io.kevo.bench.engine.WorkerCommand}), so
 * that peak RSS and JIT state belong to one engine alone; {@link io.kevo.bench.engine.EngineReport}
 * prints the table and writes the JSON. The parent runs the pairs one after another on its own
 * thread.
 */
package io.kevo.bench.engine;
