/**
 * The {@code tx} command: Kevo's transactions against RocksDB's {@code OptimisticTransactionDB} on
 * the same workload ({@link io.kevo.bench.workload.TxWorkload}), each engine in its own child JVM
 * (the hidden {@code tx-worker} subcommand), with a console table and a JSON report ({@code
 * TxReport}). Not thread-safe; commands run once per process.
 */
package io.kevo.bench.tx;
