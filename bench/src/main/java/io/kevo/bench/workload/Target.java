package io.kevo.bench.workload;

/**
 * The target Kevo is held to on one workload.
 *
 * @param minOpsRatio Kevo ops/s ÷ RocksDB ops/s must be at least this, or {@code null} for no
 *     throughput target
 * @param maxWriteAmpRatio Kevo's write amplification ÷ RocksDB's must be at most this, or {@code
 *     null} for no write-amplification target
 */
public record Target(Double minOpsRatio, Double maxWriteAmpRatio) {
  /** Measured and reported, without a target. */
  public static final Target NONE = new Target(null, null);

  /** Kevo at least as fast as RocksDB. */
  public static final Target OPS = new Target(1.0, null);

  /** Kevo at least as fast, and writing at most 1.5× RocksDB's bytes per user byte. */
  public static final Target OPS_AND_WRITE_AMP = new Target(1.0, 1.5);

  public boolean any() {
    return minOpsRatio != null || maxWriteAmpRatio != null;
  }

  /** A short description, e.g. {@code ops >= 1.00×, write amp <= 1.50×}. */
  public String describe() {
    if (!any()) {
      return "none (informational)";
    }
    StringBuilder b = new StringBuilder();
    if (minOpsRatio != null) {
      b.append(String.format(java.util.Locale.ROOT, "ops/s >= %.2f× rocksdb", minOpsRatio));
    }
    if (maxWriteAmpRatio != null) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(
          String.format(java.util.Locale.ROOT, "write amp <= %.2f× rocksdb", maxWriteAmpRatio));
    }
    return b.toString();
  }
}
