package io.kevo.engine.internal.sstable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Read-side counters shared by every {@link TableReader} of a database (pass the same instance to
 * each {@link TableReader#open}). Thread-safe; counts only grow.
 */
public final class TableStats {
  private final LongAdder bloomChecks = new LongAdder();
  private final LongAdder bloomUseful = new LongAdder();
  private final LongAdder bloomFalsePositives = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder cacheMisses = new LongAdder();
  private final LongAdder blocksRead = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();

  /** Point lookups that consulted a bloom filter. */
  public long bloomChecks() {
    return bloomChecks.sum();
  }

  /** Lookups the filter answered "absent", saving a block read. */
  public long bloomUseful() {
    return bloomUseful.sum();
  }

  /** Lookups the filter let through although the table held no version of the key. */
  public long bloomFalsePositives() {
    return bloomFalsePositives.sum();
  }

  /** Data block lookups served by the block cache. */
  public long cacheHits() {
    return cacheHits.sum();
  }

  /** Data block lookups that had to read the file (including when caching is off). */
  public long cacheMisses() {
    return cacheMisses.sum();
  }

  /** Blocks (data and meta) read from files. */
  public long blocksRead() {
    return blocksRead.sum();
  }

  /** Bytes read from files, trailers and footers included. */
  public long bytesRead() {
    return bytesRead.sum();
  }

  void bloomCheck(boolean useful) {
    bloomChecks.increment();
    if (useful) {
      bloomUseful.increment();
    }
  }

  void bloomFalsePositive() {
    bloomFalsePositives.increment();
  }

  void cacheHit() {
    cacheHits.increment();
  }

  void cacheMiss() {
    cacheMisses.increment();
  }

  void blockRead() {
    blocksRead.increment();
  }

  void bytesRead(long bytes) {
    bytesRead.add(bytes);
  }

  @Override
  public String toString() {
    return "TableStats{bloomChecks="
        + bloomChecks()
        + ", bloomUseful="
        + bloomUseful()
        + ", bloomFalsePositives="
        + bloomFalsePositives()
        + ", cacheHits="
        + cacheHits()
        + ", cacheMisses="
        + cacheMisses()
        + ", blocksRead="
        + blocksRead()
        + ", bytesRead="
        + bytesRead()
        + "}";
  }
}
