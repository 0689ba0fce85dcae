/**
 * The engine and transaction workloads, run against an {@link io.kevo.bench.adapter.EngineAdapter}
 * so that both engines get the same keys, values and order (seeded per writer thread, {@link
 * io.kevo.bench.workload.KeyValueSource}): the write workloads a, b and c ({@link
 * io.kevo.bench.workload.WriteWorkload}), the LSM workloads (fills, reads, scans, {@code mixed}),
 * and the {@code tx} workload; {@link io.kevo.bench.workload.Workloads} is the registry by id and
 * {@link io.kevo.bench.workload.Target} the target each is held to. {@link
 * io.kevo.bench.workload.TimedPhase} runs a phase on its threads and times it; each thread records
 * its own latencies.
 */
package io.kevo.bench.workload;
