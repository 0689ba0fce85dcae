package io.kevo.bench.workload;

/**
 * The knobs shared by every workload of a run. Immutable.
 *
 * @param num operations for the workloads without sync (a, b)
 * @param syncNum operations for the workload that fsyncs every write (c)
 * @param threads writer threads of the concurrent workload (c)
 * @param batchSize operations per batch of the batched workload (b)
 * @param keySize key length in bytes
 * @param valueSize value length in bytes
 * @param seed seed of the key and value generators; the same seed gives every engine the same data
 * @param warmup upper bound of untimed warm-up operations (into a separate key stream) before the
 *     timed run; a workload warms up with at most a tenth of its own operation count
 */
public record WorkloadParams(
    long num,
    long syncNum,
    int threads,
    int batchSize,
    int keySize,
    int valueSize,
    long seed,
    long warmup) {

  public WorkloadParams {
    positive("num", num);
    positive("syncNum", syncNum);
    positive("threads", threads);
    positive("batchSize", batchSize);
    positive("keySize", keySize);
    if (valueSize < 0) {
      throw new IllegalArgumentException("valueSize must be >= 0, got " + valueSize);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
