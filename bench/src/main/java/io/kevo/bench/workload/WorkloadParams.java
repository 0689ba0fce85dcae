package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineSettings;

/**
 * The knobs shared by every workload of a run. Immutable.
 *
 * @param num operations of most workloads (writes of a, b and the fill workloads; reads, seeks or
 *     mixed operations of the read workloads) and the number of keys loaded before the read
 *     workloads
 * @param syncNum operations for the workload that fsyncs every write (c)
 * @param threads threads of the concurrent workloads (c, mixed)
 * @param batchSize operations per batch of the batched workload (b)
 * @param keySize key length in bytes
 * @param valueSize value length in bytes
 * @param seed seed of the key and value generators; the same seed gives every engine the same data
 * @param warmup upper bound of untimed warm-up operations (into a separate key stream) before the
 *     timed run; a workload warms up with at most a tenth of its own operation count
 * @param bigNum keys loaded before {@code readrandom10m}
 * @param blockCacheBytes block cache capacity given to both engines
 * @param bloomBitsPerKey bloom filter bits per key given to both engines
 */
public record WorkloadParams(
    long num,
    long syncNum,
    int threads,
    int batchSize,
    int keySize,
    int valueSize,
    long seed,
    long warmup,
    long bigNum,
    long blockCacheBytes,
    int bloomBitsPerKey) {

  public WorkloadParams {
    positive("num", num);
    positive("syncNum", syncNum);
    positive("threads", threads);
    positive("batchSize", batchSize);
    positive("keySize", keySize);
    positive("bigNum", bigNum);
    if (valueSize < 0) {
      throw new IllegalArgumentException("valueSize must be >= 0, got " + valueSize);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    }
  }

  /** What both engines are opened with. */
  public EngineSettings engineSettings() {
    return new EngineSettings(blockCacheBytes, bloomBitsPerKey);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
