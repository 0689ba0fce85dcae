package io.kevo.bench.server;

import java.util.List;

/**
 * What the {@code server} benchmark runs, the same over gRPC and on the embedded engine: each of
 * {@code workloads} in order, each at every concurrency of {@code clients} in order, for {@code
 * warmupSeconds} untimed then {@code durationSeconds} timed, after loading {@code preload} keys.
 * Immutable; validated on construction.
 *
 * @param workloads the request kinds, in the order they run
 * @param clients the concurrencies (requests outstanding at once), in the order they run
 * @param durationSeconds the timed window of each (workload, clients) phase
 * @param warmupSeconds the untimed lead-in of each phase, same requests
 * @param jitWarmupSeconds untimed gets at the largest concurrency after loading, before the first
 *     phase, so that the first phase does not pay for compiling the common code paths (gets change
 *     nothing, so the data is left as loaded)
 * @param preload keys loaded (untimed, batched, then compacted) before the first phase
 * @param settle whether each phase that follows writes starts with an untimed flush and full
 *     compaction, so that it inherits no flush or compaction debt from the phases before it
 * @param keySize key bytes
 * @param valueSize value bytes
 * @param batchSize puts per {@link RequestKind#BATCH} call
 * @param seed seed of the key spaces and values
 */
record LoadParams(
    List<RequestKind> workloads,
    List<Integer> clients,
    double durationSeconds,
    double warmupSeconds,
    double jitWarmupSeconds,
    long preload,
    boolean settle,
    int keySize,
    int valueSize,
    int batchSize,
    long seed) {

  LoadParams {
    workloads = List.copyOf(workloads);
    clients = List.copyOf(clients);
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException("at least one workload is needed");
    }
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("at least one --clients value is needed");
    }
    if (workloads.stream().distinct().count() != workloads.size()) {
      throw new IllegalArgumentException("--workloads lists a workload twice: " + workloads);
    }
    if (clients.stream().distinct().count() != clients.size()) {
      throw new IllegalArgumentException("--clients lists a value twice: " + clients);
    }
    for (int c : clients) {
      if (c < 1 || c > 4096) {
        throw new IllegalArgumentException("--clients values must be in 1..4096, got " + c);
      }
    }
    if (!(durationSeconds > 0)) {
      throw new IllegalArgumentException("--duration must be positive, got " + durationSeconds);
    }
    if (!(warmupSeconds >= 0)) {
      throw new IllegalArgumentException("--warmup must not be negative, got " + warmupSeconds);
    }
    if (!(jitWarmupSeconds >= 0)) {
      throw new IllegalArgumentException(
          "--jit-warmup must not be negative, got " + jitWarmupSeconds);
    }
    if (preload < 0) {
      throw new IllegalArgumentException("--preload must not be negative, got " + preload);
    }
    if (keySize < 8) {
      throw new IllegalArgumentException("--key-size must be at least 8, got " + keySize);
    }
    if (valueSize < 1) {
      throw new IllegalArgumentException("--value-size must be at least 1, got " + valueSize);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
    }
  }

  /** The largest concurrency, at which the JIT warm-up runs. */
  int maxClients() {
    return clients.stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  /** Operations per call of {@code w}. */
  int opsPerCall(RequestKind w) {
    return w == RequestKind.BATCH ? batchSize : 1;
  }
}
