package io.kevo.bench.engine;

import io.kevo.bench.workload.WorkloadParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The workload parameters, shared by the {@code engine} command and its child workers. */
public final class WorkloadOptions {
  @Option(
      names = "--num",
      defaultValue = "1000000",
      description =
          "Operations of a, b and the LSM workloads, and keys loaded before the read, overwrite"
              + " and mixed workloads (default: ${DEFAULT-VALUE}).")
  long num;

  @Option(
      names = "--sync-num",
      description = "Operations for workload c, which fsyncs every write (default: --num).")
  Long syncNum;

  @Option(
      names = "--threads",
      defaultValue = "8",
      description = "Threads of workloads c and mixed (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--batch-size",
      defaultValue = "100",
      description = "Operations per batch in workload b (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--key-size",
      defaultValue = "16",
      description = "Key bytes (default: ${DEFAULT-VALUE}).")
  int keySize;

  @Option(
      names = "--value-size",
      defaultValue = "100",
      description = "Value bytes (default: ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(
      names = "--seed",
      defaultValue = "20240501",
      description =
          "Seed of keys and values, the same for every engine (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--warmup",
      defaultValue = "50000",
      description =
          "Untimed warm-up operations before each timed run, capped at a tenth of the run"
              + " (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--big-num",
      defaultValue = "10000000",
      description = "Keys loaded before readrandom10m (default: ${DEFAULT-VALUE}).")
  long bigNum;

  @Option(
      names = "--block-cache-mb",
      defaultValue = "64",
      description = "Block cache of both engines, MiB (default: ${DEFAULT-VALUE}).")
  long blockCacheMb;

  @Option(
      names = "--bloom-bits",
      defaultValue = "10",
      description = "Bloom filter bits per key of both engines (default: ${DEFAULT-VALUE}).")
  int bloomBits;

  WorkloadParams toParams() {
    return new WorkloadParams(
        num,
        syncNum == null ? num : syncNum,
        threads,
        batchSize,
        keySize,
        valueSize,
        seed,
        warmup,
        bigNum,
        blockCacheMb << 20,
        bloomBits);
  }

  /** These options as command-line arguments, to hand them to a child JVM. */
  static List<String> toArgs(WorkloadParams p) {
    List<String> args = new ArrayList<>();
    args.add("--num=" + p.num());
    args.add("--sync-num=" + p.syncNum());
    args.add("--threads=" + p.threads());
    args.add("--batch-size=" + p.batchSize());
    args.add("--key-size=" + p.keySize());
    args.add("--value-size=" + p.valueSize());
    args.add("--seed=" + p.seed());
    args.add("--warmup=" + p.warmup());
    args.add("--big-num=" + p.bigNum());
    args.add("--block-cache-mb=" + (p.blockCacheBytes() >> 20));
    args.add("--bloom-bits=" + p.bloomBitsPerKey());
    return args;
  }
}
