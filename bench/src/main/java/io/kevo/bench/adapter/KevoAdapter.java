package io.kevo.bench.adapter;

import io.kevo.engine.DbStats;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kevo opened with {@link SyncMode#NONE}: the WAL is always written, and a write is fsynced only
 * when it asks for {@link WriteOptions#SYNC} — the same contract as RocksDB's per-write {@code
 * sync} flag, so both engines are driven identically. Thread-safe, as {@link KevoDB} is.
 */
final class KevoAdapter implements EngineAdapter {
  private final KevoDB db;

  private KevoAdapter(KevoDB db) {
    this.db = db;
  }

  static KevoAdapter open(Path dir) {
    Options options = Options.builder().syncMode(SyncMode.NONE).build();
    return new KevoAdapter(KevoDB.open(dir, options));
  }

  @Override
  public String name() {
    return EngineKind.KEVO.id();
  }

  @Override
  public void put(byte[] key, byte[] value, boolean sync) {
    db.put(key, value, sync ? WriteOptions.SYNC : WriteOptions.DEFAULT);
  }

  @Override
  public void writeBatch(byte[][] keys, byte[][] values, int count, boolean sync) {
    WriteBatch batch = new WriteBatch();
    for (int i = 0; i < count; i++) {
      batch.put(keys[i], values[i]);
    }
    db.write(batch, sync ? WriteOptions.SYNC : WriteOptions.DEFAULT);
  }

  @Override
  public Map<String, Long> stats() {
    DbStats s = db.stats();
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("memtable_entries", s.memtableEntries());
    out.put("memtable_bytes", s.memtableBytes());
    out.put("wal_segments", (long) s.walSegments());
    out.put("wal_bytes", s.walBytes());
    out.put("wal_group_commits", s.walGroupCommits());
    out.put("wal_syncs", s.walSyncs());
    return out;
  }

  @Override
  public String describeOptions() {
    return "Kevo " + db.options() + "; per write WriteOptions.DEFAULT or WriteOptions.SYNC";
  }

  @Override
  public void close() {
    db.close();
  }
}
