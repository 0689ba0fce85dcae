package io.kevo.bench.adapter;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.rocksdb.OptimisticTransactionDB;
import org.rocksdb.OptimisticTransactionOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.Transaction;

/**
 * RocksDB opened as an {@link OptimisticTransactionDB} with the same options as {@link
 * RocksDbAdapter} (which it wraps for loading, stats and close).
 *
 * <p>Why {@code set_snapshot=true} and plain {@code get} at that snapshot, not {@code
 * getForUpdate}: Kevo's default {@code SNAPSHOT} isolation reads at the snapshot taken at begin and
 * validates only the <em>written</em> keys against it. RocksDB's optimistic transaction tracks the
 * keys it writes (and only those, unless read with {@code getForUpdate}) and, with {@code
 * set_snapshot}, validates them against the snapshot taken at begin; without it, against the
 * sequence at the time of each first write, which is weaker than Kevo. Reading with {@code
 * ReadOptions.setSnapshot(txn.getSnapshot())} makes the reads snapshot reads too. {@code
 * getForUpdate} would add the read keys to the validated set, which is Kevo's {@code SERIALIZABLE}
 * (for point reads), not {@code SNAPSHOT}.
 *
 * <p>A commit that fails with status {@code Busy} (a write-write conflict) is an abort; {@code
 * TryAgain} (the memtable history no longer covers the snapshot, so RocksDB cannot tell) is counted
 * as an abort too and apart in {@link #stats()} as {@code commit_try_again}. Thread-safe, as {@link
 * OptimisticTransactionDB} is; each {@link EngineTransaction} is used by one thread.
 */
final class RocksDbOptimisticAdapter implements TransactionalEngine {
  private final RocksDbAdapter base;
  private final OptimisticTransactionDB db;
  private final OptimisticTransactionOptions txOptions;
  private final LongAdder tryAgain = new LongAdder();

  private RocksDbOptimisticAdapter(RocksDbAdapter base) {
    this.base = base;
    this.db = (OptimisticTransactionDB) base.db();
    this.txOptions = new OptimisticTransactionOptions().setSetSnapshot(true);
  }

  static RocksDbOptimisticAdapter open(Path dir, EngineSettings settings) {
    return new RocksDbOptimisticAdapter(
        RocksDbAdapter.open(dir, settings, OptimisticTransactionDB::open));
  }

  @Override
  public EngineTransaction begin() {
    Transaction txn = db.beginTransaction(base.noSyncWriteOptions(), txOptions);
    ReadOptions read = new ReadOptions().setSnapshot(txn.getSnapshot());
    return new EngineTransaction() {
      private long bytes;
      private boolean closed;

      @Override
      public byte[] get(byte[] key) {
        try {
          return txn.get(read, key);
        } catch (RocksDBException e) {
          throw new IllegalStateException("RocksDB transaction get failed: " + e.getMessage(), e);
        }
      }

      @Override
      public void put(byte[] key, byte[] value) {
        try {
          txn.put(key, value);
        } catch (RocksDBException e) {
          throw new IllegalStateException("RocksDB transaction put failed: " + e.getMessage(), e);
        }
        bytes += key.length + value.length;
      }

      @Override
      public boolean commit() {
        try {
          txn.commit();
        } catch (RocksDBException e) {
          Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
          if (code == Status.Code.Busy) {
            return false;
          }
          if (code == Status.Code.TryAgain) {
            tryAgain.increment();
            return false;
          }
          throw new IllegalStateException("RocksDB commit failed: " + e.getMessage(), e);
        }
        base.countUserBytes(bytes);
        return true;
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          // Closing an uncommitted RocksDB transaction discards its writes (rollback).
          txn.close();
          read.close();
        }
      }
    };
  }

  @Override
  public String describeTransactions() {
    return "OptimisticTransactionDB.beginTransaction(WriteOptions sync=false,"
        + " OptimisticTransactionOptions set_snapshot=true), txn.get(ReadOptions snapshot ="
        + " txn.getSnapshot()) (no getForUpdate: written keys validated only), commit Busy ="
        + " abort, TryAgain = abort (counted apart)";
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public void put(byte[] key, byte[] value, boolean sync) {
    base.put(key, value, sync);
  }

  @Override
  public void writeBatch(byte[][] keys, byte[][] values, int count, boolean sync) {
    base.writeBatch(keys, values, count, sync);
  }

  @Override
  public byte[] get(byte[] key) {
    return base.get(key);
  }

  @Override
  public ReadCursor cursor() {
    return base.cursor();
  }

  @Override
  public void flush() {
    base.flush();
  }

  @Override
  public void compactAll() {
    base.compactAll();
  }

  @Override
  public void awaitQuiescent(boolean flush) {
    base.awaitQuiescent(flush);
  }

  @Override
  public WriteCounters writeCounters() {
    return base.writeCounters();
  }

  @Override
  public Map<String, Long> stats() {
    Map<String, Long> out = base.stats();
    out.put("commit_try_again", tryAgain.sum());
    return out;
  }

  @Override
  public String describeOptions() {
    return "OptimisticTransactionDB over " + base.describeOptions();
  }

  @Override
  public void close() {
    txOptions.close();
    base.close();
  }
}
