package io.kevo.engine;

/**
 * The Java heap an engine opened with given {@link Options} needs, so that a process can be sized
 * from its options instead of from the machine. Everything the engine keeps is on the heap and
 * bounded by an option: the memtables (the active one and at most {@link
 * Options#maxImmutableMemtables()} frozen ones waiting for flush, each up to {@link
 * Options#memtableSize()}) and the block cache ({@link Options#blockCacheSize()}); {@link
 * #ENGINE_OVERHEAD_BYTES} covers the rest (open tables' indexes and bloom filters of a database of
 * a few million keys, compaction and flush buffers, iterators) and leaves the collector room to
 * work. Bloom filters and indexes grow with the data: add about {@link #BYTES_PER_KEY} bytes per
 * key beyond a few million.
 *
 * <p>Stateless.
 */
public final class MemoryBudget {
  /** What the engine holds besides memtables and block cache, with the collector's headroom. */
  public static final long ENGINE_OVERHEAD_BYTES = 64L << 20;

  /**
   * Heap per key held in SSTables, for bloom filters (10 bits per key by default) and index
   * entries.
   */
  public static final int BYTES_PER_KEY = 2;

  private MemoryBudget() {}

  /** The heap, in bytes, an engine opened with {@code options} needs. */
  public static long heapBytes(Options options) {
    return options.memtableSize() * (options.maxImmutableMemtables() + 1L)
        + options.blockCacheSize()
        + ENGINE_OVERHEAD_BYTES;
  }

  /** {@code bytes} rounded up to whole MiB, as {@code -Xmx} takes it: {@code 256m}. */
  public static String xmx(long bytes) {
    return ((bytes + (1 << 20) - 1) >> 20) + "m";
  }
}
