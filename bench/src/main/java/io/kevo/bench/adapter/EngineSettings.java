package io.kevo.bench.adapter;

/**
 * The options both engines are given alike; everything else stays at each engine's default.
 *
 * @param blockCacheBytes capacity of the block cache (Kevo {@code blockCacheSize}, RocksDB {@code
 *     LRUCache})
 * @param bloomBitsPerKey bloom filter bits per key (RocksDB has no filter unless given one)
 */
public record EngineSettings(long blockCacheBytes, int bloomBitsPerKey) {
  /** 64 MiB of block cache and 10-bit bloom filters for both engines. */
  public static final EngineSettings DEFAULT = new EngineSettings(64L << 20, 10);

  /**
   * The {@code -Xmx} of a child JVM running Kevo with these settings: what its options need ({@link
   * io.kevo.engine.MemoryBudget}); the RocksDB child gets the same.
   */
  public String kevoHeap() {
    return KevoAdapter.heap(this);
  }

  public EngineSettings {
    if (blockCacheBytes < 0) {
      throw new IllegalArgumentException("blockCacheBytes must be >= 0, got " + blockCacheBytes);
    }
    if (bloomBitsPerKey < 0) {
      throw new IllegalArgumentException("bloomBitsPerKey must be >= 0, got " + bloomBitsPerKey);
    }
  }
}
