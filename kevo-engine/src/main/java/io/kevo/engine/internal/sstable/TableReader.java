package io.kevo.engine.internal.sstable;

import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An open, verified table. {@link #open} checks the footer (magic, version, checksum) and loads the
 * checksummed properties, bloom filter and index; data blocks are read on demand with positional
 * reads, verified, decompressed and kept in the shared {@link BlockCache}.
 *
 * <p>Thread-safe: any number of threads may call {@link #get} and use their own iterators at once.
 * {@link #close()} is idempotent; reads after it fail with CLOSED, so callers must keep a reader
 * open while gets or iterators use it (reference counting is the caller's job). If another thread
 * is interrupted mid-read, the JDK closes the shared channel; the reader then reopens it rather
 * than failing for everyone.
 */
public final class TableReader implements AutoCloseable {
  private final Path path;
  private final long fileNumber;
  private final BlockCache cache;
  private final TableStats stats;
  private final TableFile file;
  private final TableProperties properties;
  private final BloomFilter bloom;
  private final TableIndex index;

  private TableReader(
      Path path, long fileNumber, BlockCache cache, TableFile file, TableStats stats) {
    this.path = path;
    this.stats = stats;
    this.fileNumber = fileNumber;
    this.cache = cache;
    this.file = file;
    long size = file.size();
    long footerAt = size - TableFormat.FOOTER_SIZE;
    if (footerAt < 0) {
      throw TableFormat.corruption(path, 0, "file of " + size + " bytes is too short");
    }
    byte[] fb = new byte[TableFormat.FOOTER_SIZE];
    file.readFully(footerAt, fb, fb.length, footerAt);
    Footer footer;
    try {
      footer = Footer.decode(fb, size);
    } catch (FormatException e) {
      throw TableFormat.corruption(path, footerAt, "footer: " + e.getMessage());
    }
    BlockHandle ph = footer.properties();
    try {
      this.properties = TableProperties.decode(file.readMetaBlock(ph), size);
    } catch (FormatException e) {
      throw TableFormat.corruption(path, ph.offset(), "properties: " + e.getMessage());
    }
    long metaStart = Math.min(ph.offset(), footer.index().offset());
    if (footer.hasBloom()) {
      metaStart = Math.min(metaStart, footer.bloom().offset());
    }
    if (properties.dataSize() > metaStart) {
      throw TableFormat.corruption(path, ph.offset(), "data size overlaps the meta blocks");
    }
    BlockHandle bh = footer.bloom();
    try {
      this.bloom = footer.hasBloom() ? BloomFilter.decode(file.readMetaBlock(bh)) : null;
    } catch (FormatException e) {
      throw TableFormat.corruption(path, bh.offset(), "bloom filter: " + e.getMessage());
    }
    BlockHandle ih = footer.index();
    byte[] ib = file.readMetaBlock(ih);
    try {
      Block indexBlock = Block.parse(ib, ib.length, path, ih.offset());
      this.index = TableIndex.decode(indexBlock, properties.dataSize());
    } catch (FormatException e) {
      throw TableFormat.corruption(path, ih.offset(), "index: " + e.getMessage());
    }
  }

  /**
   * Opens and verifies the table at {@code path}.
   *
   * @param fileNumber the table's unique number, its identity in the block cache
   * @param cache the database's block cache ({@code new BlockCache(0)} for none)
   * @param stats the database's read counters
   * @throws KevoException CORRUPTION (naming the file and offset) if the footer or a meta block is
   *     damaged, IO_ERROR if the file cannot be read
   */
  public static TableReader open(Path path, long fileNumber, BlockCache cache, TableStats stats) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(stats, "stats");
    TableFile file = new TableFile(path, stats);
    try {
      return new TableReader(path, fileNumber, cache, file, stats);
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * The newest version of {@code userKey} with sequence at most {@code readSequence}. Consults the
   * bloom filter first, then reads the one data block the index points to (a second lookup, usually
   * in the same cached block, happens only to classify a bloom false positive when the table holds
   * versions newer than {@code readSequence}).
   */
  public TableGet get(byte[] userKey, long readSequence) {
    Objects.requireNonNull(userKey, "userKey");
    if (bloom != null) {
      boolean maybe = bloom.mayContain(userKey);
      stats.bloomCheck(!maybe);
      if (!maybe) {
        return TableGet.ABSENT;
      }
    }
    TableGet result = lookup(userKey, readSequence);
    if (result == TableGet.ABSENT && bloom != null && !hasAnyVersion(userKey, readSequence)) {
      stats.bloomFalsePositive();
    }
    return result;
  }

  /** A new iterator over every entry of the table, unpositioned. Close it when done. */
  public InternalIterator newIterator() {
    return new TableIterator(this);
  }

  public TableProperties properties() {
    return properties;
  }

  public long fileNumber() {
    return fileNumber;
  }

  public Path path() {
    return path;
  }

  public long fileSize() {
    return properties.fileSize();
  }

  /** Closes the file. Idempotent; never throws. Cached blocks stay until evicted. */
  @Override
  public void close() {
    file.close();
  }

  TableIndex index() {
    return index;
  }

  /**
   * The {@code i}-th data block, from the cache or the file, retained for the caller: release it
   * when done, and read nothing of it after.
   */
  Block dataBlock(int i) {
    long offset = index.offset(i);
    Block b = cache.get(fileNumber, offset);
    if (b != null) {
      stats.cacheHit();
      return b;
    }
    stats.cacheMiss();
    b = file.readDataBlock(index.handle(i), cache.arrays());
    cache.put(fileNumber, offset, b);
    return b;
  }

  /**
   * What the one data block that may hold the key says of its newest version at {@code sequence}.
   */
  private TableGet lookup(byte[] userKey, long sequence) {
    int i = index.find(userKey, sequence);
    if (i >= index.blockCount()) {
      return TableGet.ABSENT;
    }
    Block block = dataBlock(i);
    try {
      BlockIterator it = new BlockIterator(block);
      it.seek(userKey, sequence);
      if (!it.valid() || !it.userKeyEquals(userKey)) {
        return TableGet.ABSENT;
      }
      return it.isTombstone()
          ? TableGet.deleted(it.sequence())
          : TableGet.found(it.sequence(), it.value());
    } finally {
      block.release();
    }
  }

  /** Whether any version of the key exists, for counting bloom false positives precisely. */
  private boolean hasAnyVersion(byte[] userKey, long readSequence) {
    if (readSequence >= properties.maxSequence()) {
      return false; // Every version was visible to the lookup, which found none.
    }
    return lookup(userKey, InternalOrder.MAX_SEQUENCE) != TableGet.ABSENT;
  }
}
