package io.kevo.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The target Kevo is held to on one workload, each part a ratio of Kevo's figure to RocksDB's in
 * the same run, or {@code null} for none.
 *
 * @param minOpsRatio Kevo ops/s ÷ RocksDB ops/s must be at least this
 * @param maxWriteAmpRatio Kevo's write amplification ÷ RocksDB's must be at most this
 * @param maxRssRatio Kevo's peak RSS ÷ RocksDB's must be at most this (each engine in a child JVM
 *     of the same {@code -Xmx})
 * @param maxP99Ratio Kevo's p99 latency ÷ RocksDB's must be at most this
 */
public record Target(
    Double minOpsRatio, Double maxWriteAmpRatio, Double maxRssRatio, Double maxP99Ratio) {
  /** Measured and reported, without a target. */
  public static final Target NONE = new Target(null, null, null, null);

  /** Kevo at least as fast as RocksDB. */
  public static final Target OPS = new Target(1.0, null, null, null);

  /** This target, and write amplification at most {@code ratio} × RocksDB's. */
  public Target withWriteAmp(double ratio) {
    return new Target(minOpsRatio, ratio, maxRssRatio, maxP99Ratio);
  }

  /** This target, and peak RSS at most {@code ratio} × RocksDB's. */
  public Target withRss(double ratio) {
    return new Target(minOpsRatio, maxWriteAmpRatio, ratio, maxP99Ratio);
  }

  /** This target, and p99 latency at most {@code ratio} × RocksDB's. */
  public Target withP99(double ratio) {
    return new Target(minOpsRatio, maxWriteAmpRatio, maxRssRatio, ratio);
  }

  public boolean any() {
    return minOpsRatio != null
        || maxWriteAmpRatio != null
        || maxRssRatio != null
        || maxP99Ratio != null;
  }

  /** A short description, e.g. {@code ops/s >= 1.00× rocksdb, write amp <= 1.50× rocksdb}. */
  public String describe() {
    if (!any()) {
      return "none (informational)";
    }
    List<String> parts = new ArrayList<>();
    if (minOpsRatio != null) {
      parts.add(String.format(Locale.ROOT, "ops/s >= %.2f× rocksdb", minOpsRatio));
    }
    if (maxWriteAmpRatio != null) {
      parts.add(String.format(Locale.ROOT, "write amp <= %.2f× rocksdb", maxWriteAmpRatio));
    }
    if (maxRssRatio != null) {
      parts.add(String.format(Locale.ROOT, "peak RSS <= %.2f× rocksdb", maxRssRatio));
    }
    if (maxP99Ratio != null) {
      parts.add(String.format(Locale.ROOT, "p99 <= %.2f× rocksdb", maxP99Ratio));
    }
    return String.join(", ", parts);
  }
}
