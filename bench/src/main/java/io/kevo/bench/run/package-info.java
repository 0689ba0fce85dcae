/**
 * Run plumbing shared by the benchmark commands: starting a child JVM per (workload, engine),
 * handing it its parameters and reading back its one-line JSON result ({@link
 * io.kevo.bench.run.ChildJvm}, which also launches {@code server-node} children as kevo-testkit
 * node processes), and the fresh database directories of a run ({@link io.kevo.bench.run.Dirs}).
 */
package io.kevo.bench.run;
