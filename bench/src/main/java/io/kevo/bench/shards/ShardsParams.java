package io.kevo.bench.shards;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shards benchmark's parameters.
 *
 * @param shardCounts the scaling phase's points, e.g. 1, 2, 4
 * @param clients client threads of the scaling phase, one call in flight each
 * @param warmup puts before each timed window
 * @param duration each timed window (writes, then reads)
 * @param valueSize value bytes
 * @param splitKeys keys in the shard the split phase splits
 * @param splitWriters writer threads during the split
 * @param phases "scaling", "split" or both
 * @param heap each node's maximum heap
 * @param jvmArgs extra node JVM options
 */
record ShardsParams(
    List<Integer> shardCounts,
    int clients,
    Duration warmup,
    Duration duration,
    int valueSize,
    long splitKeys,
    int splitWriters,
    List<String> phases,
    String heap,
    List<String> jvmArgs) {

  /** The nodes' JVM options. */
  List<String> nodeJvmArgs() {
    List<String> out = new ArrayList<>();
    out.add("-Xmx" + heap);
    out.addAll(jvmArgs);
    return out;
  }
}
