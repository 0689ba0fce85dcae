package io.kevo.bench.server;

import io.kevo.bench.cli.BenchOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code server} workload options; its embedded-engine child gets the parameters they make as
 * one JSON argument ({@link io.kevo.bench.run.ChildJvm#paramsArg}).
 */
public final class LoadOptions {
  @Mixin BenchOptions.Timing timing = new BenchOptions.Timing(4, 1);
  @Mixin BenchOptions.Sizes sizes = new BenchOptions.Sizes();
  @Mixin BenchOptions.Seed seed = new BenchOptions.Seed(20240501);

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "get,put,delete,batch",
      description =
          "Workloads in the order they run: get, put, delete, batch (default: ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "1,16,64",
      description =
          "Concurrencies to run each workload at: requests outstanding at once"
              + " (default: ${DEFAULT-VALUE}).")
  List<Integer> clients;

  @Option(
      names = "--jit-warmup",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description =
          "Untimed gets at the largest --clients after loading, before the first phase, so that"
              + " it does not pay for JIT compilation (default: ${DEFAULT-VALUE}).")
  double jitWarmup;

  @Option(
      names = "--preload",
      defaultValue = "1000000",
      description =
          "Keys loaded before the first phase (batched, then compacted); gets read them"
              + " (default: ${DEFAULT-VALUE}).")
  long preload;

  @Option(
      names = "--settle",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Before each phase that follows writes, flush and compact everything (untimed; Compact"
              + " on the server, compactRange on the engine), so that no phase inherits the"
              + " previous one's compaction debt (default: ${DEFAULT-VALUE}).")
  boolean settle;

  @Option(
      names = "--batch-size",
      defaultValue = "100",
      description = "Puts per BatchWrite / WriteBatch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  LoadParams toParams() {
    List<RequestKind> kinds = new ArrayList<>();
    for (String id : workloads) {
      kinds.add(RequestKind.fromId(id));
    }
    return new LoadParams(
        kinds,
        clients,
        timing.duration(),
        timing.warmup(),
        jitWarmup,
        preload,
        settle,
        sizes.keySize(),
        sizes.valueSize(),
        batchSize,
        seed.seed());
  }
}
