package io.kevo.bench.tx;

import io.kevo.bench.workload.TxParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code tx} workload's parameters, shared by the command and its child workers. */
public final class TxOptions {
  @Option(
      names = "--num",
      defaultValue = "1000000",
      description = "Keys loaded before the timed phase (default: ${DEFAULT-VALUE}).")
  long num;

  @Option(
      names = "--threads",
      defaultValue = "8",
      description = "Threads running transactions (default: ${DEFAULT-VALUE}).")
  int threads;

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
      names = "--writes",
      defaultValue = "2",
      description = "Distinct keys written per transaction (default: ${DEFAULT-VALUE}).")
  int writes;

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
      description = "Seed of keys, values and key choices (default: ${DEFAULT-VALUE}).")
  long seed;

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

  TxParams toParams() {
    if (durationSeconds != null && txns != null) {
      throw new IllegalArgumentException("give --duration-s or --txns, not both");
    }
    double seconds = txns != null ? 0 : durationSeconds == null ? 20 : durationSeconds;
    return new TxParams(
        num,
        threads,
        seconds,
        txns == null ? 0 : txns,
        warmupSeconds,
        reads,
        writes,
        keySize,
        valueSize,
        seed,
        blockCacheMb << 20,
        bloomBits);
  }

  /** {@code p} as command-line arguments, to hand it to a child JVM. */
  static List<String> toArgs(TxParams p) {
    List<String> args = new ArrayList<>();
    args.add("--num=" + p.num());
    args.add("--threads=" + p.threads());
    if (p.txns() > 0) {
      args.add("--txns=" + p.txns());
    } else {
      args.add("--duration-s=" + p.durationSeconds());
    }
    args.add("--warmup-s=" + p.warmupSeconds());
    args.add("--reads=" + p.readsPerTx());
    args.add("--writes=" + p.writesPerTx());
    args.add("--key-size=" + p.keySize());
    args.add("--value-size=" + p.valueSize());
    args.add("--seed=" + p.seed());
    args.add("--block-cache-mb=" + (p.blockCacheBytes() >> 20));
    args.add("--bloom-bits=" + p.bloomBitsPerKey());
    return args;
  }
}
