/**
 * {@code kevo-bench shards}: a sharded cluster's write and read throughput with 1, 2 and 4 shards,
 * per core used, and an online split of a large shard under writes (issue 20).
 */
package io.kevo.bench.shards;
