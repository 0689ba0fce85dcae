package io.kevo.bench.adapter;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.FlushOptions;
import org.rocksdb.HistogramType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB (rocksdbjni) with default options apart from {@code createIfMissing}, a block-based table
 * config with an {@link LRUCache} of {@link EngineSettings#blockCacheBytes()} and a {@link
 * BloomFilter} of {@link EngineSettings#bloomBitsPerKey()} (RocksDB has none by default), and
 * {@link Statistics} for the write-amplification tickers. Statistics are created with every
 * histogram ignored, which also turns off the per-operation timers behind them, so that only
 * tickers (as cheap as Kevo's own counters) are kept. WAL on, 64 MiB write buffer, Snappy, default
 * compaction. Writes use {@code sync=false} or {@code sync=true}, never {@code disableWAL}.
 * Thread-safe, as {@link RocksDB} is.
 */
final class RocksDbAdapter implements EngineAdapter {
  static {
    RocksDB.loadLibrary();
  }

  private final EngineSettings settings;
  private final Options options;
  private final Cache cache;
  private final BloomFilter filter;
  private final Statistics statistics;
  private final RocksDB db;
  private final WriteOptions noSync;
  private final WriteOptions sync;
  private final LongAdder userBytes = new LongAdder();

  private RocksDbAdapter(
      EngineSettings settings,
      Options options,
      Cache cache,
      BloomFilter filter,
      Statistics statistics,
      RocksDB db) {
    this.settings = settings;
    this.options = options;
    this.cache = cache;
    this.filter = filter;
    this.statistics = statistics;
    this.db = db;
    this.noSync = new WriteOptions().setSync(false).setDisableWAL(false);
    this.sync = new WriteOptions().setSync(true).setDisableWAL(false);
  }

  /** How the database is opened: plain {@link RocksDB#open}, or as a transactional subclass. */
  @FunctionalInterface
  interface Opener {
    RocksDB open(Options options, String path) throws RocksDBException;
  }

  static RocksDbAdapter open(Path dir, EngineSettings settings) {
    return open(dir, settings, RocksDB::open);
  }

  /**
   * Opens with the shared options through {@code opener} (e.g. {@code OptimisticTransactionDB}).
   */
  static RocksDbAdapter open(Path dir, EngineSettings settings, Opener opener) {
    Cache cache = new LRUCache(settings.blockCacheBytes());
    BloomFilter filter = new BloomFilter(settings.bloomBitsPerKey());
    Statistics statistics = new Statistics(EnumSet.allOf(HistogramType.class));
    Options options =
        new Options()
            .setCreateIfMissing(true)
            .setStatistics(statistics)
            .setTableFormatConfig(
                new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter));
    try {
      return new RocksDbAdapter(
          settings, options, cache, filter, statistics, opener.open(options, dir.toString()));
    } catch (RocksDBException e) {
      options.close();
      statistics.close();
      filter.close();
      cache.close();
      throw new IllegalStateException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The open database, of the class {@link Opener} returned. */
  RocksDB db() {
    return db;
  }

  /** The shared {@code sync=false} write options (WAL on); owned by this adapter. */
  WriteOptions noSyncWriteOptions() {
    return noSync;
  }

  /** Adds key and value bytes written around {@link #put} and {@link #writeBatch}. */
  void countUserBytes(long bytes) {
    userBytes.add(bytes);
  }

  @Override
  public String name() {
    return EngineKind.ROCKSDB.id();
  }

  @Override
  public void put(byte[] key, byte[] value, boolean sync) {
    try {
      db.put(sync ? this.sync : noSync, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB put failed: " + e.getMessage(), e);
    }
    userBytes.add(key.length + value.length);
  }

  @Override
  public void writeBatch(byte[][] keys, byte[][] values, int count, boolean sync) {
    long bytes = 0;
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < count; i++) {
        batch.put(keys[i], values[i]);
        bytes += keys[i].length + values[i].length;
      }
      db.write(sync ? this.sync : noSync, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB write failed: " + e.getMessage(), e);
    }
    userBytes.add(bytes);
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB get failed: " + e.getMessage(), e);
    }
  }

  @Override
  public ReadCursor cursor() {
    RocksIterator it = db.newIterator();
    return new ReadCursor() {
      private boolean closed;

      @Override
      public void seekToFirst() {
        it.seekToFirst();
      }

      @Override
      public void seek(byte[] key) {
        it.seek(key);
      }

      @Override
      public boolean valid() {
        return it.isValid();
      }

      @Override
      public void next() {
        it.next();
      }

      @Override
      public byte[] key() {
        return it.key();
      }

      @Override
      public byte[] value() {
        return it.value();
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          it.close();
        }
      }
    };
  }

  @Override
  public void flush() {
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      db.flush(fo);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB flush failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void compactAll() {
    flush();
    try {
      db.compactRange();
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB compactRange failed: " + e.getMessage(), e);
    }
  }

  /** Polls RocksDB's own properties until no flush or compaction is pending or running. */
  @Override
  public void awaitQuiescent(boolean flush) {
    if (flush) {
      flush();
    }
    long deadline = System.nanoTime() + Quiesce.TIMEOUT_NANOS;
    int idlePolls = 0;
    while (idlePolls < 2) {
      boolean idle =
          longProperty("rocksdb.compaction-pending") == 0
              && longProperty("rocksdb.num-running-compactions") == 0
              && longProperty("rocksdb.num-running-flushes") == 0
              && longProperty("rocksdb.mem-table-flush-pending") == 0
              && longProperty("rocksdb.num-immutable-mem-table") == 0;
      idlePolls = idle ? idlePolls + 1 : 0;
      if (idlePolls < 2) {
        Quiesce.pause(deadline, "RocksDB");
      }
    }
  }

  /**
   * The same definition as Kevo's: WAL file bytes plus flush and compaction output bytes, over the
   * key and value bytes given to {@code put}/{@code write} (counted here; RocksDB's own {@code
   * BYTES_WRITTEN} also counts write-batch framing and is recorded in {@link #stats()} only).
   */
  @Override
  public WriteCounters writeCounters() {
    long device =
        ticker(TickerType.WAL_FILE_BYTES)
            + ticker(TickerType.FLUSH_WRITE_BYTES)
            + ticker(TickerType.COMPACT_WRITE_BYTES);
    return new WriteCounters(device, userBytes.sum());
  }

  private long ticker(TickerType type) {
    return statistics.getTickerCount(type);
  }

  @Override
  public Map<String, Long> stats() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("l0_files", longProperty("rocksdb.num-files-at-level0"));
    for (int l = 1; l < 7; l++) {
      long files = longProperty("rocksdb.num-files-at-level" + l);
      if (files > 0) {
        out.put("l" + l + "_files", files);
      }
    }
    out.put("live_sst_bytes", longProperty("rocksdb.live-sst-files-size"));
    out.put("memtable_bytes", longProperty("rocksdb.cur-size-all-mem-tables"));
    out.put("immutable_memtables", longProperty("rocksdb.num-immutable-mem-table"));
    out.put("estimate_num_keys", longProperty("rocksdb.estimate-num-keys"));
    out.put("wal_file_bytes", ticker(TickerType.WAL_FILE_BYTES));
    out.put("flush_write_bytes", ticker(TickerType.FLUSH_WRITE_BYTES));
    out.put("compact_read_bytes", ticker(TickerType.COMPACT_READ_BYTES));
    out.put("compact_write_bytes", ticker(TickerType.COMPACT_WRITE_BYTES));
    out.put("bytes_written_ticker", ticker(TickerType.BYTES_WRITTEN));
    out.put("user_bytes_written", userBytes.sum());
    out.put("block_cache_hits", ticker(TickerType.BLOCK_CACHE_DATA_HIT));
    out.put("block_cache_misses", ticker(TickerType.BLOCK_CACHE_DATA_MISS));
    out.put("bloom_useful", ticker(TickerType.BLOOM_FILTER_USEFUL));
    out.put("bloom_full_positive", ticker(TickerType.BLOOM_FILTER_FULL_POSITIVE));
    out.put("bloom_full_true_positive", ticker(TickerType.BLOOM_FILTER_FULL_TRUE_POSITIVE));
    return out;
  }

  private long longProperty(String name) {
    try {
      return Long.parseLong(db.getProperty(name).trim());
    } catch (RocksDBException | NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String describeOptions() {
    return "RocksDB "
        + RocksDB.rocksdbVersion()
        + " default Options + createIfMissing (write_buffer_size="
        + options.writeBufferSize()
        + ", compression="
        + options.compressionType()
        + ", max_background_jobs="
        + options.maxBackgroundJobs()
        + "), BlockBasedTableConfig(LRUCache "
        + cacheBytesDescription()
        + ", BloomFilter("
        + settings.bloomBitsPerKey()
        + ")), Statistics(tickers only);"
        + " WriteOptions sync=false|true, disableWAL=false";
  }

  private String cacheBytesDescription() {
    try {
      return db.getProperty("rocksdb.block-cache-capacity") + " bytes";
    } catch (RocksDBException e) {
      return "capacity unknown";
    }
  }

  @Override
  public void close() {
    noSync.close();
    sync.close();
    db.close();
    options.close();
    statistics.close();
    filter.close();
    cache.close();
  }
}
