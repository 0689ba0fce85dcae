/**
 * The engines under test behind one interface, so that a workload runs unchanged on each: {@link
 * io.kevo.bench.adapter.EngineAdapter} (and {@link io.kevo.bench.adapter.TransactionalEngine} for
 * transactions) implemented by {@link io.kevo.bench.adapter.KevoAdapter} and {@link
 * io.kevo.bench.adapter.RocksDbAdapter} / {@link io.kevo.bench.adapter.RocksDbOptimisticAdapter},
 * opened alike from {@link io.kevo.bench.adapter.EngineSettings} (same block cache, bloom filters
 * and durability contract; everything else at each engine's default). Adapters are safe for the
 * workload's threads, as the engines are; cursors are not.
 */
package io.kevo.bench.adapter;
