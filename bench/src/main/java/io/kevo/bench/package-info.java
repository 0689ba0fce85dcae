/**
 * The benchmark driver ({@code kevo-bench}): compares Kevo with RocksDB on the same workloads in
 * one run.
 *
 * <p>Layout: {@code adapter} wraps each engine behind {@link io.kevo.bench.adapter.EngineAdapter};
 * {@code workload} holds the scenarios (one {@link io.kevo.bench.workload.Workload} per letter);
 * {@code engine} is the {@code engine} command, which runs every (workload, engine) pair in its own
 * child JVM so peak RSS is per engine; {@code tx} is the {@code tx} command (transactions on Kevo
 * and on RocksDB's {@code OptimisticTransactionDB}, through {@link
 * io.kevo.bench.adapter.TransactionalEngine}); {@code run} starts the child JVMs (workers, and
 * server nodes as kevo-testkit node processes); {@code cli} declares the options the commands
 * share, once each, as picocli mixins; {@code server} and {@code replication} hold the load
 * generator and the cluster benchmarks; {@code micro} the JMH micro-benchmarks; {@code report}
 * holds the one report shape every command fills in (its tables, its bars, one JSON layout) and
 * measures and formats (latency samples and histograms, VmHWM, JSON through Jackson).
 *
 * <p>Priorities: the same keys, values, threads and durability for every engine; numbers that are
 * honest about what they include (the timed region is the write loop only). Not a library: the
 * commands print to stdout and stderr.
 */
package io.kevo.bench;
