package io.kevo.bench.adapter;

import io.kevo.engine.Compression;
import io.kevo.engine.DbStats;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoCursor;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.MemoryBudget;
import io.kevo.engine.Options;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.SyncMode;
import io.kevo.engine.Transaction;
import io.kevo.engine.TransactionConflictException;
import io.kevo.engine.TransactionOptions;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kevo opened with {@link SyncMode#NONE}: the WAL is always written, and a write is fsynced only
 * when it asks for {@link WriteOptions#SYNC} — the same contract as RocksDB's per-write {@code
 * sync} flag, so both engines are driven identically. Snappy, bloom bits and block cache are set
 * explicitly to the values RocksDB gets. Transactions are {@link TransactionOptions#DEFAULT}
 * (read-write, {@link io.kevo.engine.Isolation#SNAPSHOT}: commit validates the written keys only),
 * or {@link TransactionOptions#PESSIMISTIC} when opened so (keys locked until the end; a lock
 * timeout or deadlock counts as an abort, like a lost conflict). Thread-safe, as {@link KevoDB} is.
 */
final class KevoAdapter implements TransactionalEngine {
  private final KevoDB db;
  private final TransactionOptions txOptions;

  private KevoAdapter(KevoDB db, TransactionOptions txOptions) {
    this.db = db;
    this.txOptions = txOptions;
  }

  static KevoAdapter open(Path dir, EngineSettings settings) {
    return open(dir, settings, TransactionOptions.DEFAULT);
  }

  static KevoAdapter open(Path dir, EngineSettings settings, TransactionOptions txOptions) {
    return new KevoAdapter(KevoDB.open(dir, options(settings)), txOptions);
  }

  /** The engine options the benchmark opens Kevo with. */
  static Options options(EngineSettings settings) {
    return Options.builder()
        .syncMode(SyncMode.NONE)
        .compression(Compression.SNAPPY)
        .bloomBitsPerKey(settings.bloomBitsPerKey())
        .blockCacheSize(settings.blockCacheBytes())
        .build();
  }

  /**
   * The {@code -Xmx} a child JVM running Kevo with {@code settings} needs ({@link MemoryBudget}).
   */
  static String heap(EngineSettings settings) {
    return MemoryBudget.xmx(MemoryBudget.heapBytes(options(settings)));
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
  public byte[] get(byte[] key) {
    return db.get(key).orElse(null);
  }

  @Override
  public EngineTransaction begin() {
    Transaction tx = db.beginTransaction(txOptions);
    return new EngineTransaction() {
      private boolean lockFailed; // a lock timeout or deadlock rolled tx back

      @Override
      public byte[] get(byte[] key) {
        try {
          return lockFailed ? null : tx.get(key).orElse(null);
        } catch (KevoException e) {
          lockFailed = lockFailure(e);
          return null;
        }
      }

      @Override
      public boolean rolledBack() {
        return lockFailed;
      }

      @Override
      public void put(byte[] key, byte[] value) {
        try {
          if (!lockFailed) {
            tx.put(key, value);
          }
        } catch (KevoException e) {
          lockFailed = lockFailure(e);
        }
      }

      @Override
      public boolean commit() {
        if (lockFailed) {
          return false;
        }
        try {
          tx.commit();
          return true;
        } catch (TransactionConflictException e) {
          return false;
        }
      }

      @Override
      public void close() {
        tx.close();
      }
    };
  }

  /** True for a pessimistic transaction's lock failure (it was rolled back); rethrows the rest. */
  private static boolean lockFailure(KevoException e) {
    if (e.code() == ErrorCode.LOCK_TIMEOUT || e.code() == ErrorCode.DEADLOCK) {
      return true;
    }
    throw e;
  }

  @Override
  public String describeTransactions() {
    if (txOptions.locking()) {
      return "KevoDB.beginTransaction(TransactionOptions.PESSIMISTIC): every key read or written is"
          + " locked (exclusive) until commit, then read at the latest committed value; lock"
          + " timeout "
          + txOptions.lockTimeout().toMillis()
          + " ms; a lock timeout, deadlock or commit conflict = abort; commit writes the WAL, no"
          + " sync (SyncMode.NONE)";
    }
    return "KevoDB.beginTransaction(TransactionOptions.DEFAULT): SNAPSHOT isolation, reads at the"
        + " begin snapshot, commit validates written keys (first committer wins),"
        + " TransactionConflictException = abort; commit writes the WAL, no sync (SyncMode.NONE)";
  }

  @Override
  public ReadCursor cursor() {
    KevoCursor c = db.cursor(ScanOptions.ALL, ReadOptions.DEFAULT);
    return new ReadCursor() {
      @Override
      public void seekToFirst() {
        c.seekToFirst();
      }

      @Override
      public void seek(byte[] key) {
        c.seek(key);
      }

      @Override
      public boolean valid() {
        return c.valid();
      }

      @Override
      public void next() {
        c.next();
      }

      @Override
      public byte[] key() {
        return c.key();
      }

      @Override
      public byte[] value() {
        return c.value();
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  @Override
  public void flush() {
    db.flush();
  }

  @Override
  public void compactAll() {
    db.compactRange(null, null);
  }

  /**
   * Kevo exposes no "compaction pending" flag, so this polls {@link KevoDB#stats()} until no
   * memtable waits for flush and no level scores at or above 1 by the engine's own leveled policy
   * (L0 file count against {@code l0CompactionTrigger}, Ln bytes against {@code level1MaxBytes *
   * levelSizeRatio^(n-1)}), and the compaction count has stopped moving.
   */
  @Override
  public void awaitQuiescent(boolean flush) {
    if (flush) {
      db.flush();
    }
    long deadline = System.nanoTime() + Quiesce.TIMEOUT_NANOS;
    long lastCompactions = -1;
    while (true) {
      DbStats s = db.stats();
      if (s.backgroundError() != null) {
        throw new IllegalStateException("Kevo background error: " + s.backgroundError());
      }
      boolean idle = s.immutableMemtables() == 0 && !compactionDue(s.levels());
      if (idle && s.compactions() == lastCompactions) {
        return;
      }
      lastCompactions = idle ? s.compactions() : -1;
      Quiesce.pause(deadline, "Kevo");
    }
  }

  private boolean compactionDue(List<DbStats.LevelStats> levels) {
    Options o = db.options();
    long max = o.level1MaxBytes();
    for (int i = 0; i < levels.size() - 1; i++) {
      DbStats.LevelStats l = levels.get(i);
      if (l.level() == 0) {
        if (l.files() >= o.l0CompactionTrigger()) {
          return true;
        }
        continue;
      }
      if (l.bytes() >= max) {
        return true;
      }
      max *= o.levelSizeRatio();
    }
    return false;
  }

  @Override
  public WriteCounters writeCounters() {
    DbStats s = db.stats();
    return new WriteCounters(
        Math.round(s.writeAmplification() * s.bytesWritten()), s.bytesWritten());
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
    out.put("sstables", (long) s.sstableCount());
    for (DbStats.LevelStats l : s.levels()) {
      if (l.files() > 0) {
        out.put("l" + l.level() + "_files", (long) l.files());
        out.put("l" + l.level() + "_bytes", l.bytes());
      }
    }
    out.put("flushes", s.flushes());
    out.put("compactions", s.compactions());
    out.put("bytes_flushed", s.bytesFlushed());
    out.put("compaction_bytes_read", s.compactionBytesRead());
    out.put("compaction_bytes_written", s.compactionBytesWritten());
    out.put("user_bytes_written", s.bytesWritten());
    out.put("block_cache_hits", s.blockCacheHits());
    out.put("block_cache_misses", s.blockCacheMisses());
    out.put("bloom_checks", s.bloomChecks());
    out.put("bloom_useful", s.bloomUseful());
    out.put("bloom_false_positives", s.bloomFalsePositives());
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
