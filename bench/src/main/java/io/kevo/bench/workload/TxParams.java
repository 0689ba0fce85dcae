package io.kevo.bench.workload;

import io.kevo.bench.adapter.EngineSettings;

/**
 * The knobs of the {@code tx} benchmark. Immutable.
 *
 * @param num keys loaded before the timed phase; transactions pick their keys among them
 * @param threads threads running transactions
 * @param durationSeconds length of the timed phase in seconds, or 0 when {@code txns} bounds it
 * @param txns transactions attempted in the timed phase (all threads), or 0 when {@code
 *     durationSeconds} bounds it
 * @param warmupSeconds untimed transactions on all threads before the timed phase, seconds
 * @param readsPerTx point reads per transaction
 * @param writesPerTx distinct keys written per transaction
 * @param keySize key length in bytes
 * @param valueSize value length in bytes
 * @param seed seed of keys, values and key choices; the same for every engine
 * @param blockCacheBytes block cache capacity given to both engines
 * @param bloomBitsPerKey bloom filter bits per key given to both engines
 */
public record TxParams(
    long num,
    int threads,
    double durationSeconds,
    long txns,
    double warmupSeconds,
    int readsPerTx,
    int writesPerTx,
    int keySize,
    int valueSize,
    long seed,
    long blockCacheBytes,
    int bloomBitsPerKey) {

  public TxParams {
    if (num <= 0 || threads <= 0 || keySize < 8) {
      throw new IllegalArgumentException(
          "num and threads must be > 0 and keySize >= 8, got "
              + num
              + ", "
              + threads
              + ", "
              + keySize);
    }
    if ((durationSeconds > 0) == (txns > 0) || durationSeconds < 0 || txns < 0) {
      throw new IllegalArgumentException(
          "exactly one of durationSeconds and txns must be > 0, got "
              + durationSeconds
              + " and "
              + txns);
    }
    if (warmupSeconds < 0 || readsPerTx < 0 || writesPerTx < 1 || valueSize < 0) {
      throw new IllegalArgumentException(
          "warmupSeconds, readsPerTx, valueSize must be >= 0 and writesPerTx >= 1");
    }
    if (writesPerTx > num) {
      throw new IllegalArgumentException("writesPerTx must be <= num (distinct keys)");
    }
  }

  /** What both engines are opened with. */
  public EngineSettings engineSettings() {
    return new EngineSettings(blockCacheBytes, bloomBitsPerKey);
  }

  /** The same data settings as an {@code engine} workload, for the shared {@link Loader}. */
  WorkloadParams loadParams() {
    return new WorkloadParams(
        num, num, threads, 1, keySize, valueSize, seed, 0, num, blockCacheBytes, bloomBitsPerKey);
  }
}
