package io.kevo.engine.internal.sstable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A byte-bounded cache of decoded data blocks, keyed by (file number, block offset), shared by all
 * tables of a database. Blocks enter it only after their checksum verified and they decompressed,
 * so a hit never needs checking again. Weights are block sizes in bytes (plus a small constant), so
 * {@code capacityBytes} bounds the heap the cache holds. A capacity of 0 disables caching.
 * Thread-safe; hit and miss counts are kept by the readers in {@link TableStats}.
 */
public final class BlockCache {
  private record Key(long fileNumber, long offset) {}

  private final long capacityBytes;
  private final Cache<Key, Block> cache;

  public BlockCache(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("capacityBytes must be >= 0: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    this.cache =
        capacityBytes == 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((Key k, Block b) -> b.weight())
                // Maintenance on the calling threads: no background pool, deterministic bounds.
                .executor(Runnable::run)
                .build();
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  /** Approximate bytes currently held. */
  public long weightedSize() {
    return cache == null
        ? 0
        : cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  Block get(long fileNumber, long offset) {
    return cache == null ? null : cache.getIfPresent(new Key(fileNumber, offset));
  }

  void put(long fileNumber, long offset, Block block) {
    if (cache != null) {
      cache.put(new Key(fileNumber, offset), block);
    }
  }

  /**
   * Drops every block of a file, e.g. when it is deleted after compaction. Costs a pass over the
   * cache's keys; file numbers are never reused, so skipping this only wastes memory until the
   * blocks age out.
   */
  public void evictFile(long fileNumber) {
    if (cache != null) {
      cache.asMap().keySet().removeIf(k -> k.fileNumber == fileNumber);
    }
  }

  public void clear() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }
}
