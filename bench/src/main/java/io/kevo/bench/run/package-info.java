/**
 * Run plumbing shared by the benchmark commands: starting a child JVM per (workload, engine) and
 * reading back its one-line JSON result ({@link io.kevo.bench.run.ChildJvm}), and the fresh
 * database directories of a run ({@link io.kevo.bench.run.Dirs}).
 */
package io.kevo.bench.run;
