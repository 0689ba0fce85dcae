package io.kevo.bench.adapter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB (rocksdbjni) with default options apart from {@code createIfMissing}: WAL on, 64 MiB
 * write buffer flushed to L0 SSTables in the background, default compaction. Writes use {@code
 * sync=false} or {@code sync=true}, never {@code disableWAL}. Thread-safe, as {@link RocksDB} is.
 */
final class RocksDbAdapter implements EngineAdapter {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions noSync;
  private final WriteOptions sync;

  private RocksDbAdapter(Options options, RocksDB db) {
    this.options = options;
    this.db = db;
    this.noSync = new WriteOptions().setSync(false).setDisableWAL(false);
    this.sync = new WriteOptions().setSync(true).setDisableWAL(false);
  }

  static RocksDbAdapter open(Path dir) {
    Options options = new Options().setCreateIfMissing(true);
    try {
      return new RocksDbAdapter(options, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException e) {
      options.close();
      throw new IllegalStateException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
    }
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
  }

  @Override
  public void writeBatch(byte[][] keys, byte[][] values, int count, boolean sync) {
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < count; i++) {
        batch.put(keys[i], values[i]);
      }
      db.write(sync ? this.sync : noSync, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Long> stats() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("l0_files", longProperty("rocksdb.num-files-at-level0"));
    out.put("live_sst_bytes", longProperty("rocksdb.live-sst-files-size"));
    out.put("memtable_bytes", longProperty("rocksdb.cur-size-all-mem-tables"));
    out.put("immutable_memtables", longProperty("rocksdb.num-immutable-mem-table"));
    out.put("estimate_num_keys", longProperty("rocksdb.estimate-num-keys"));
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
        + "); WriteOptions sync=false|true, disableWAL=false";
  }

  @Override
  public void close() {
    noSync.close();
    sync.close();
    db.close();
    options.close();
  }
}
