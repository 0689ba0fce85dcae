package io.kevo.bench.tx;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.workload.TxParams;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code tx} workload's options; its child workers get the parameters they make as one JSON
 * argument ({@link io.kevo.bench.run.ChildJvm#paramsArg}).
 */
public final class TxOptions {
  @Mixin BenchOptions.Threads threads = new BenchOptions.Threads();
  @Mixin BenchOptions.Sizes sizes = new BenchOptions.Sizes();
  @Mixin BenchOptions.Seed seed = new BenchOptions.Seed(20240501);
  @Mixin BenchOptions.Tuning tuning = new BenchOptions.Tuning();

  @Option(
      names = "--num",
      defaultValue = "1000000",
      description = "Keys loaded before the timed phase (default: ${DEFAULT-VALUE}).")
  long num;

  @Option(
      names = "--duration-s",
      description = "Length of the timed phase in seconds (default: 20 unless --txns is given).")
  Double durationSeconds;

  @Option(
      names = "--txns",
      description = "Run a fixed number of transactions (all threads) instead of --duration-s.")
  Long txns;

  @Option(
      names = "--warmup-s",
      defaultValue = "3",
      description =
          "Untimed transactions on all threads before the timed phase, seconds"
              + " (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--reads",
      defaultValue = "2",
      description = "Point reads per transaction (default: ${DEFAULT-VALUE}).")
  int reads;

  @Option(
      names = "--mode",
      defaultValue = "both",
      description =
          "Kevo's transactions: optimistic (checked at commit), pessimistic (keys locked until"
              + " the end) or both, each its own run (default: ${DEFAULT-VALUE}). RocksDB is"
              + " always OptimisticTransactionDB.")
  String mode;

  @Option(
      names = "--writes",
      defaultValue = "2",
      description = "Distinct keys written per transaction (default: ${DEFAULT-VALUE}).")
  int writes;

  TxSubject.Mode mode() {
    return TxSubject.Mode.parse(mode);
  }

  TxParams toParams() {
    if (durationSeconds != null && txns != null) {
      throw new IllegalArgumentException("give --duration-s or --txns, not both");
    }
    double seconds = txns != null ? 0 : durationSeconds == null ? 20 : durationSeconds;
    return new TxParams(
        num,
        threads.threads(),
        seconds,
        txns == null ? 0 : txns,
        warmupSeconds,
        reads,
        writes,
        sizes.keySize(),
        sizes.valueSize(),
        seed.seed(),
        tuning.blockCacheBytes(),
        tuning.bloomBits());
  }
}
