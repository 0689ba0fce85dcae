package io.kevo.bench.adapter;

/**
 * An engine opened for transactions: Kevo's {@code KevoDB} itself, or RocksDB opened as an {@code
 * OptimisticTransactionDB}. The plain {@link EngineAdapter} operations (used to load and settle the
 * data) stay available. Thread-safe: each thread begins its own transactions.
 */
public interface TransactionalEngine extends EngineAdapter {
  /** Begins a read-write snapshot-isolation transaction; close it when done. */
  EngineTransaction begin();

  /** How transactions are begun, read and validated, for the report. */
  String describeTransactions();
}
