package io.kevo.bench.engine;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.workload.WorkloadParams;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code engine} command's workload options; its child workers get the parameters they make as
 * one JSON argument ({@link io.kevo.bench.run.ChildJvm#paramsArg}).
 */
public final class WorkloadOptions {
  @Mixin BenchOptions.Threads threads = new BenchOptions.Threads();
  @Mixin BenchOptions.Sizes sizes = new BenchOptions.Sizes();
  @Mixin BenchOptions.Seed seed = new BenchOptions.Seed(20240501);
  @Mixin BenchOptions.Tuning tuning = new BenchOptions.Tuning();

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
      names = "--batch-size",
      defaultValue = "100",
      description = "Operations per batch in workload b (default: ${DEFAULT-VALUE}).")
  int batchSize;

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

  WorkloadParams toParams() {
    return new WorkloadParams(
        num,
        syncNum == null ? num : syncNum,
        threads.threads(),
        batchSize,
        sizes.keySize(),
        sizes.valueSize(),
        seed.seed(),
        warmup,
        bigNum,
        tuning.blockCacheBytes(),
        tuning.bloomBits());
  }
}
