package io.kevo.engine.internal;

import io.kevo.engine.Checkpoint;
import io.kevo.engine.DbStats;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoCursor;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyRange;
import io.kevo.engine.Options;
import io.kevo.engine.ReadCeiling;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.Snapshot;
import io.kevo.engine.Transaction;
import io.kevo.engine.TransactionOptions;
import io.kevo.engine.WalAccess;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import io.kevo.engine.WriteRefusal;
import io.kevo.engine.internal.compaction.Background;
import io.kevo.engine.internal.lock.LockManager;
import io.kevo.engine.internal.sstable.TableOptions;
import io.kevo.engine.internal.version.VersionSet;
import io.kevo.engine.internal.wal.Wal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link io.kevo.engine.KevoDB}: a thin coordinator that wires the parts
 * together, hands each call to the part that owns it, and closes them in order. It owns the
 * directory lock, the WAL, the file set ({@link VersionSet}) and the memtables ({@link LsmState})
 * for their whole life.
 *
 * <ul>
 *   <li>{@link DbOpener} — open and recovery, on the opening thread;
 *   <li>{@link WritePath} — the write entry points, up to the {@link WriteQueue}; its leader
 *       commits each group with {@link GroupCommit} (WAL append, fsync per sync mode, memtable
 *       insert, then publish the group's last sequence as visible, {@link VisibleSequence});
 *   <li>{@link WalSyncer} — syncs outside the write path, and the {@code BATCH} syncer thread;
 *   <li>{@link Reads} — point reads, cursors, scans and snapshots, lock-free;
 *   <li>{@link Maintenance} — flush, manual compaction, checkpoints, waiting for the {@link
 *       Background} worker;
 *   <li>{@link StatsCollector} — {@link DbStats};
 *   <li>{@link Lifecycle} — open or closed, and the lock close takes to wait for writes and syncs.
 * </ul>
 *
 * <p>Thread-safe: every public method may be called from any thread. Reads use the published
 * sequence, so a batch becomes visible all at once and never before its WAL record is written.
 *
 * <p>Failure: if a WAL append or fsync fails, the outcome of that group is unknown (some or all of
 * its bytes may be in the log), its callers get {@link ErrorCode#OUTCOME_UNKNOWN}, and later writes
 * are refused, without being attempted, while {@link ErrorRecovery} holds a failure: with {@link
 * ErrorCode#NO_SPACE} after a full disk, until it has recovered by itself; with {@link
 * ErrorCode#WRITES_REFUSED} after anything else, until reopened. A group whose append failed is
 * neither applied nor announced, and its sequence numbers are given to later writes only after the
 * WAL has cut its bytes off ({@link Wal#repair()}); a group whose fsync failed was written and
 * announced, so it is applied too, and the log stays as it is.
 */
public final class DbCore {
  private static final Logger LOG = LoggerFactory.getLogger(DbCore.class);

  private final Path dir;
  private final Options options;
  private final DirectoryLock lock;
  private final Wal wal;
  private final VersionSet versions;
  private final Snapshots snapshots;
  private final LsmState lsm;
  private final Background background;
  private final ErrorRecovery errors;
  private final Lifecycle lifecycle;
  private final VisibleSequence visible;
  private final WriteLimits limits;
  private final WritePath writes;
  private final Reads reads;
  private final Maintenance maintenance;
  private final StatsCollector stats;
  private final WalSyncer syncer;
  private final AtomicLong transactionIds = new AtomicLong();
  private final LockManager keyLocks = new LockManager();

  private DbCore(Path dir, Options options, DbOpener.Opened o, EngineEnv env) {
    this.dir = dir;
    this.options = options;
    this.lock = o.lock();
    this.wal = o.wal();
    this.versions = o.versions();
    this.lifecycle = new Lifecycle(dir);
    this.visible = new VisibleSequence(o.lastSequence());
    ReadLimit readLimit = new ReadLimit();
    this.snapshots = new Snapshots(token -> readLimit.sequence(visible.get(), token));
    this.errors = new ErrorRecovery(dir, env, options.fatalErrorListener());
    this.lsm =
        new LsmState(options, versions, wal, snapshots, o.memtable(), o.lastSequence(), errors);
    this.background =
        new Background(
            dir.getFileName() == null ? "db" : dir.getFileName().toString(),
            versions,
            lsm,
            tableOptions(options),
            options);
    WriteQueue queue = new WriteQueue(errors.guard(new GroupCommit(wal, lsm, errors, visible)));
    WriteCounters counters = new WriteCounters();
    this.limits = new WriteLimits(options);
    this.writes = new WritePath(lifecycle, errors, queue, limits, counters, visible);
    this.reads = new Reads(lifecycle, lsm, snapshots, readLimit, visible, limits, counters);
    this.maintenance =
        new Maintenance(dir, lifecycle, writes, visible, versions, lsm, background, wal);
    this.stats =
        new StatsCollector(
            wal,
            o.recovery(),
            versions,
            lsm,
            snapshots,
            background,
            o.tableStats(),
            counters,
            visible,
            errors);
    errors.start(new EngineRetries(wal, background, env));
    this.syncer = new WalSyncer(options, wal, lifecycle, errors);
    background.retain(o.retained());
    lsm.onClosed(lifecycle::closedException);
    lsm.start(background);
  }

  private static TableOptions tableOptions(Options o) {
    return new TableOptions(o.blockSize(), 16, o.compression(), o.bloomBitsPerKey());
  }

  /**
   * Locks {@code dir}, recovers the file set from the manifest, replays the WAL operations not yet
   * in SSTables into a memtable, opens the WAL for appending ({@link DbOpener}), starts the engine,
   * and flushes what it replayed ({@link ReplayFlush}).
   */
  public static DbCore open(Path dir, Options options) {
    return open(dir, options, EngineEnv.DEFAULT);
  }

  /** As {@link #open(Path, Options)}, in {@code env} (tests inject a failing file system). */
  public static DbCore open(Path dir, Options options, EngineEnv env) {
    DbOpener.Opened o = DbOpener.recover(dir, options, env);
    try {
      DbCore core = new DbCore(dir, options, o, env);
      ReplayFlush.afterOpen(core::flush, o.recovery(), dir);
      return core;
    } catch (RuntimeException e) {
      o.abandon();
      throw e;
    }
  }

  // ---- writes (WritePath) ----

  public long put(byte[] key, byte[] value, WriteOptions wo) {
    return writes.put(key, value, wo);
  }

  public long delete(byte[] key, WriteOptions wo) {
    return writes.delete(key, wo);
  }

  public long write(WriteBatch batch, WriteOptions wo) {
    return writes.write(batch, wo);
  }

  public long applyReplicated(WalRecord record, WriteOptions wo) {
    return writes.applyReplicated(List.of(record), wo);
  }

  /**
   * Replication: logs and applies {@code records} (each one WAL record, numbered consecutively from
   * one to the next) in one group commit. If the first cannot land at the log's next sequence, none
   * is written.
   */
  public long applyReplicated(List<WalRecord> records, WriteOptions wo) {
    return writes.applyReplicated(records, wo);
  }

  /**
   * Forces the WAL written so far to stable storage without taking the write queue's leadership:
   * writes go on while the fsync runs (see {@link Wal#sync()}). Works while writes are refused too
   * (what was acknowledged still deserves to be durable). A failed fsync refuses writes until the
   * database is reopened.
   */
  public long syncWal() {
    return syncer.syncNow();
  }

  /** Why writes are refused now, if they are (see {@link ErrorRecovery}). */
  public Optional<WriteRefusal> writeRefusal() {
    WriteStop s = errors.current();
    return s == null ? Optional.empty() : Optional.of(s.toRefusal());
  }

  void checkKey(byte[] key) {
    limits.checkKey(key);
  }

  void checkValue(byte[] value) {
    limits.checkValue(value);
  }

  // ---- reads (Reads) ----

  /** Where a read without a snapshot, with read-your-writes {@code token} (0: none), reads now. */
  public long readSequence(long token) {
    return reads.readSequence(token);
  }

  /** See {@link io.kevo.engine.KevoDB#readCeiling}. */
  public void readCeiling(ReadCeiling c) {
    reads.readCeiling(c);
  }

  public byte[] get(byte[] key, ReadOptions ro) {
    return reads.get(key, ro);
  }

  public KevoCursor cursor(ScanOptions scan, ReadOptions ro) {
    return reads.cursor(scan, ro);
  }

  public KevoIterator scan(ScanOptions scan, ReadOptions ro) {
    return reads.scan(scan, ro);
  }

  public Snapshot snapshot(long token) {
    return reads.snapshot(token);
  }

  public long latestSequence() {
    return visible.get();
  }

  // ---- transactions ----

  public Transaction beginTransaction(TransactionOptions options) {
    lifecycle.checkOpen();
    Objects.requireNonNull(options, "options");
    if (!options.readOnly()) {
      writes.checkWritable();
    }
    return new TransactionImpl(
        this,
        transactionIds.incrementAndGet(),
        options,
        snapshots.take(options.minSequence()),
        keyLocks);
  }

  /** Logs {@code batch} if {@code check} passes in the write leader; returns its last sequence. */
  long commitTransaction(WriteBatch batch, CommitCheck check) {
    return writes.commitTransaction(batch, check);
  }

  /** The key locks of pessimistic transactions. */
  LockManager keyLocks() {
    return keyLocks;
  }

  /** See {@link Reads#transactionCursor}. */
  KevoCursor transactionCursor(
      ScanOptions scan,
      long snapshotSequence,
      NavigableMap<byte[], byte[]> writes,
      byte[] deleted) {
    return reads.transactionCursor(scan, snapshotSequence, writes, deleted);
  }

  // ---- admin (Maintenance) ----

  /** Freezes the memtable and waits until everything written so far is in SSTables. */
  public void flush() {
    maintenance.flush();
  }

  /** Flushes, then compacts every level's files overlapping {@code [from, to]} (null = open). */
  public void compactRange(byte[] from, byte[] to) {
    maintenance.compactRange(from, to);
  }

  /** See {@link Maintenance#checkpoint}. */
  public Checkpoint checkpoint(KeyRange range) {
    return maintenance.checkpoint(range);
  }

  /** See {@link Maintenance#retainOnly}. */
  public void retainOnly(KeyRange range) {
    maintenance.retainOnly(range);
  }

  /** The keys this database keeps ({@link KeyRange#ALL} unless narrowed). */
  public KeyRange retained() {
    return background.retained();
  }

  public WalAccess wal() {
    lifecycle.checkOpen();
    return wal;
  }

  /** The WAL itself, for engine-internal callers and tests. */
  public Wal walInternal() {
    return wal;
  }

  public Path directory() {
    return dir;
  }

  public Options options() {
    return options;
  }

  public DbStats stats() {
    lifecycle.checkOpen();
    return stats.collect();
  }

  // ---- close ----

  /**
   * Closes as {@link #close()}, but every later call fails with {@link ErrorCode#UNAVAILABLE} and
   * {@code reason} (the handle is being reopened on other contents).
   */
  public void closeUnavailable(String reason) {
    lifecycle.markUnavailable(reason);
    close();
  }

  /**
   * Waits for writes in progress, stops background work after its current job, syncs and closes the
   * log, releases the lock. Idempotent.
   */
  public void close() {
    lifecycle.closeOnce(this::closeParts);
  }

  private void closeParts() {
    keyLocks.close(); // wakes transactions waiting for a key: they fail with CLOSED
    syncer.close();
    errors.close();
    lsm.closing();
    background.stop();
    lsm.release();
    try {
      versions.close();
    } catch (IOException e) {
      LOG.error("closing the manifest of {} failed", dir, e);
    }
    try {
      wal.close(wal.syncFailure() == null);
    } catch (IOException e) {
      LOG.error("closing the WAL of {} failed", dir, e);
    }
    lock.close();
    LOG.info("closed {} at sequence {}", dir, visible.get());
  }
}
