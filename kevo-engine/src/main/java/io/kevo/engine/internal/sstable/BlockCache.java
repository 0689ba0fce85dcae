package io.kevo.engine.internal.sstable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * A byte-bounded cache of decoded data blocks, keyed by (file number, block offset), shared by all
 * tables of a database. Blocks enter it only after their checksum verified and they decompressed,
 * so a hit never needs checking again. Weights are the sizes of the blocks' arrays (plus a small
 * constant), so {@code capacityBytes} bounds the heap the cache holds. A capacity of 0 disables
 * caching. Thread-safe; hit and miss counts are kept by the readers in {@link TableStats}.
 *
 * <p>The cache holds a reference on each block it keeps ({@link Block#retain}) and drops it when
 * the block leaves, however it leaves. A block it returns is already retained for the caller, who
 * releases it when done, so the array goes back to {@link #arrays()} only once neither the cache
 * nor any reader holds it. The next misses are read into those recycled arrays. Cached blocks and
 * arrays waiting to be reused together stay within the capacity.
 */
public final class BlockCache {
  private record Key(long fileNumber, long offset) {}

  private final long capacityBytes;
  private final Cache<Key, Block> cache;
  private final BlockArrays arrays;

  public BlockCache(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("capacityBytes must be >= 0: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    long spare = spareBytes(capacityBytes);
    this.cache =
        capacityBytes == 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(capacityBytes - spare)
                .weigher((Key k, Block b) -> b.weight())
                .removalListener((Key k, Block b, RemovalCause cause) -> b.release())
                // Maintenance on the calling threads: no background pool, deterministic bounds.
                .executor(Runnable::run)
                .build();
    this.arrays = new BlockArrays(spare); // none kept spare without a cache: each array is dropped
  }

  /**
   * The part of the capacity kept for arrays waiting to be reused: 1/32, at least 256 KiB (enough
   * for the bursts in which the cache evicts), at most half.
   */
  private static long spareBytes(long capacityBytes) {
    return Math.min(capacityBytes / 2, Math.max(capacityBytes / 32, 256 << 10));
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

  /** Where blocks read on a miss get their arrays. */
  BlockArrays arrays() {
    return arrays;
  }

  /** The cached block, retained for the caller (who releases it), or {@code null}. */
  Block get(long fileNumber, long offset) {
    if (cache == null) {
      return null;
    }
    Block b = cache.getIfPresent(new Key(fileNumber, offset));
    return b != null && b.retain() ? b : null;
  }

  /** Caches a block the caller holds (and still releases itself). */
  void put(long fileNumber, long offset, Block block) {
    if (cache != null && block.retain()) {
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
