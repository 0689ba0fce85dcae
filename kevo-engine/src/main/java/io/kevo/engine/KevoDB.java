package io.kevo.engine;

import io.kevo.engine.internal.DbCore;
import io.kevo.engine.internal.EngineEnv;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An open Kevo database: the embeddable engine's entry point.
 *
 * <p>Thread-safe: any number of threads may read and write concurrently; concurrent writers are
 * group-committed to the write-ahead log. Every operation receives its own sequence number,
 * strictly increasing across WAL segments and restarts. A write is visible to reads once the call
 * returns. Durability follows {@link Options#syncMode()} unless {@link WriteOptions#sync()} asks
 * for more.
 *
 * <p>Only one handle may hold a directory at a time, across processes: a second {@link #open} fails
 * with {@link ErrorCode#LOCKED}. {@link #close()} is idempotent; any other call after it fails with
 * {@link ErrorCode#CLOSED}.
 */
public final class KevoDB implements AutoCloseable {
  // Replaced only by replaceWith/resume (a replica's bootstrap), under `this`; calls that raced
  // with a replacement reach the closed core and fail with UNAVAILABLE.
  private volatile DbCore core;
  private final EngineEnv env; // what every open of this handle's directory runs in
  private final Object replacing = new Object();
  private boolean suspended; // guarded by replacing
  private boolean closedForGood; // guarded by replacing
  private ReadCeiling readCeiling = ReadCeiling.NONE; // guarded by replacing

  private KevoDB(DbCore core, EngineEnv env) {
    this.core = core;
    this.env = env;
  }

  /** Opens (creating if needed) the database in {@code dir} with default options. */
  public static KevoDB open(Path dir) {
    return open(dir, Options.DEFAULT);
  }

  /**
   * Opens (creating if needed) the database in {@code dir}, replaying its write-ahead log.
   *
   * @throws KevoException {@link ErrorCode#LOCKED} if another handle holds the directory, {@link
   *     ErrorCode#CORRUPTION} if the log is damaged other than by a torn final record (see {@link
   *     WalRecoveryMode}), {@link ErrorCode#IO_ERROR} on I/O failure
   */
  public static KevoDB open(Path dir, Options options) {
    return open(dir, options, EngineEnv.DEFAULT);
  }

  /**
   * As {@link #open(Path, Options)}, in {@code env} (a fault-injecting file system, say), kept for
   * the reopens of {@link #resume()} and {@link #replaceWith}. Not API: reached by other modules'
   * tests only through the engine's test-support jar ({@code io.kevo.engine.EngineTestSupport}).
   */
  static KevoDB open(Path dir, Options options, EngineEnv env) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(env, "env");
    return new KevoDB(DbCore.open(dir, options, env), env);
  }

  /** Stores {@code value} (possibly empty) under {@code key}. Returns its sequence number. */
  public long put(byte[] key, byte[] value) {
    return put(key, value, WriteOptions.DEFAULT);
  }

  /** Stores {@code value} (possibly empty) under {@code key}. Returns its sequence number. */
  public long put(byte[] key, byte[] value, WriteOptions options) {
    return core.put(key, value, options);
  }

  /** The current value of {@code key}; empty if absent or deleted. An empty array is a value. */
  public Optional<byte[]> get(byte[] key) {
    return get(key, ReadOptions.DEFAULT);
  }

  /** The value of {@code key} as of {@code options} (a snapshot, or the latest writes). */
  public Optional<byte[]> get(byte[] key, ReadOptions options) {
    return Optional.ofNullable(core.get(key, options));
  }

  /** Deletes {@code key} (absent keys too: a tombstone is written). Returns its sequence. */
  public long delete(byte[] key) {
    return delete(key, WriteOptions.DEFAULT);
  }

  /** Deletes {@code key} (absent keys too: a tombstone is written). Returns its sequence. */
  public long delete(byte[] key, WriteOptions options) {
    return core.delete(key, options);
  }

  /**
   * Applies every operation of {@code batch} atomically, as one WAL record, with consecutive
   * sequence numbers. Returns the last one (or {@link #latestSequence()} for an empty batch).
   */
  public long write(WriteBatch batch) {
    return write(batch, WriteOptions.DEFAULT);
  }

  /** As {@link #write(WriteBatch)}, with explicit options. */
  public long write(WriteBatch batch, WriteOptions options) {
    return core.write(batch, options);
  }

  /**
   * Replication: logs and applies {@code record}, received from a primary, at exactly its own
   * sequence numbers, atomically (as one WAL record, a batch staying a batch). The record must
   * start at the log's next sequence number, so a replica's log is the primary's, number for
   * number. Returns the record's last sequence.
   *
   * @throws KevoException {@link ErrorCode#SEQUENCE_MISMATCH} (nothing written) if {@code
   *     record.firstSequence()} is not {@link WalAccess#nextSequence()} or its operations are not
   *     numbered consecutively; {@link ErrorCode#INVALID_ARGUMENT} for an oversized key or value
   */
  public long applyReplicated(WalRecord record, WriteOptions options) {
    return core.applyReplicated(record, options);
  }

  /**
   * As {@link #applyReplicated(WalRecord, WriteOptions)} for several records numbered
   * consecutively, in one group commit (one WAL write): how a replica catches up quickly. Each
   * record stays its own WAL record. If the first does not start at the log's next sequence,
   * nothing is written. Returns the last record's last sequence.
   */
  public long applyReplicated(java.util.List<WalRecord> records, WriteOptions options) {
    return core.applyReplicated(records, options);
  }

  /**
   * Forces everything logged so far to stable storage and returns the highest durable sequence
   * number (the replica's acknowledgement point).
   */
  public long syncWal() {
    return core.syncWal();
  }

  /**
   * The last sequence number committed and applied: what reads see unless a {@link ReadCeiling}
   * holds them lower (see {@link #readSequence()}); 0 for a database never written.
   */
  public long latestSequence() {
    return core.latestSequence();
  }

  /**
   * The sequence a read without a snapshot reads at now: {@link #latestSequence()}, or less under a
   * {@link ReadCeiling}. A read that starts after this call reads at this sequence or later.
   */
  public long readSequence() {
    return core.readSequence(0);
  }

  /**
   * As {@link #readSequence()} for a read carrying read-your-writes {@code token} ({@link
   * ReadOptions#atLeast}): at least {@code min(token, latestSequence())}.
   */
  public long readSequence(long token) {
    return core.readSequence(token);
  }

  /**
   * Sets the highest sequence reads may see (see {@link ReadCeiling}), in effect from now on, until
   * replaced; {@link ReadCeiling#NONE} removes it. The ceiling never takes back from readers what
   * they could see before it was set: reads go on at no less than {@link #readSequence()} as of
   * this call.
   */
  public void readCeiling(ReadCeiling ceiling) {
    Objects.requireNonNull(ceiling, "ceiling");
    synchronized (replacing) {
      readCeiling = ceiling;
      core.readCeiling(ceiling);
    }
  }

  /**
   * Live key-value pairs within {@code scan}, in ascending (or, with {@link ScanOptions#reverse()},
   * descending) key order, as of the moment of the call: later writes are not seen. The iterator
   * pins the files it reads; close it.
   */
  public KevoIterator scan(ScanOptions scan) {
    return core.scan(scan, ReadOptions.DEFAULT);
  }

  /** As {@link #scan(ScanOptions)}, reading at {@code options}' snapshot if it has one. */
  public KevoIterator scan(ScanOptions scan, ReadOptions options) {
    return core.scan(scan, options);
  }

  /**
   * A cursor over live keys within {@code scan} (its direction flag is ignored: cursors move both
   * ways), unpositioned: call a seek first. Pins the files it reads until closed.
   */
  public KevoCursor cursor(ScanOptions scan, ReadOptions options) {
    return core.cursor(scan, options);
  }

  /**
   * Begins a transaction (see {@link Transaction}) whose snapshot is at {@link #readSequence(long)
   * readSequence(options.minSequence())}; close it when done.
   */
  public Transaction beginTransaction(TransactionOptions options) {
    return core.beginTransaction(options);
  }

  /** Begins a read-write snapshot-isolation transaction. */
  public Transaction beginTransaction() {
    return beginTransaction(TransactionOptions.DEFAULT);
  }

  /** A consistent view at the current {@link #readSequence()}; close it when done. */
  public Snapshot snapshot() {
    return core.snapshot(0);
  }

  /**
   * A consistent view at {@link #readSequence(long) readSequence(token)}: at least up to
   * read-your-writes {@code token}, as far as it is written. Close it when done.
   */
  public Snapshot snapshot(long token) {
    if (token < 0) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "token must not be negative, got " + token);
    }
    return core.snapshot(token);
  }

  /**
   * Freezes the memtable and returns once every write made before the call is in SSTables (and its
   * WAL segments are deletable).
   */
  public void flush() {
    core.flush();
  }

  /**
   * Flushes, then compacts every level's files overlapping {@code [from, to]} ({@code null} = open)
   * down the tree, dropping overwritten versions and tombstones nobody can see.
   */
  public void compactRange(byte[] from, byte[] to) {
    core.compactRange(from, to);
  }

  /** The write-ahead log as seen by replication: reading, listening and retention holds. */
  public WalAccess wal() {
    return core.wal();
  }

  /** A snapshot of the engine's counters. */
  /**
   * Why writes are refused now, or empty while they are accepted. After a full disk the refusal
   * carries {@link ErrorCode#NO_SPACE} and ends by itself once space is freed; after another
   * failure it carries {@link ErrorCode#WRITES_REFUSED} and lasts until the database is reopened.
   * Reads are served either way.
   */
  public Optional<WriteRefusal> writeRefusal() {
    return core.writeRefusal();
  }

  public DbStats stats() {
    return core.stats();
  }

  /** Where this database lives. */
  public Path directory() {
    return core.directory();
  }

  /** The options this database was opened with. */
  public Options options() {
    return core.options();
  }

  /**
   * A consistent checkpoint of the database, taken without stopping writes: flushes the memtable,
   * then pins the SSTables and the sequence they cover, and holds the log after it (see {@link
   * Checkpoint}). Close it when done.
   *
   * @throws KevoException {@link ErrorCode#CLOSED}, or a flush failure
   */
  public Checkpoint checkpoint() {
    return core.checkpoint(KeyRange.ALL);
  }

  /**
   * A checkpoint for the keys of {@code range} only: like {@link #checkpoint()}, but listing only
   * the SSTables that hold some of them (a table with keys on both sides is listed whole). What a
   * primary ships to a node of a new shard, which keeps only that range ({@link #retainOnly}).
   */
  public Checkpoint checkpoint(KeyRange range) {
    return core.checkpoint(Objects.requireNonNull(range, "range"));
  }

  /**
   * Makes this database keep only the keys of {@code range}, for good: the range is recorded in the
   * directory (it survives a reopen), every later flush and compaction drops the keys outside it,
   * and this call flushes and compacts the key space outside it before it returns, so that none of
   * those keys is left on disk. Writes of keys outside it are still taken, and dropped at the next
   * flush. Reads of keys outside it return any of their versions or none: the caller has stopped
   * serving them (a shard whose range shrank in a split).
   *
   * @throws KevoException {@link ErrorCode#CLOSED}, {@link ErrorCode#IO_ERROR}, or a flush or
   *     compaction failure (the range stays recorded; call again to finish)
   */
  public void retainOnly(KeyRange range) {
    core.retainOnly(Objects.requireNonNull(range, "range"));
  }

  /** The keys this database keeps: {@link KeyRange#ALL} unless {@link #retainOnly} narrowed it. */
  public KeyRange retained() {
    return core.retained();
  }

  /**
   * Stops serving until {@link #replaceWith} or {@link #resume()}: closes the engine (syncing the
   * log, releasing the directory lock) and makes every call fail with {@link ErrorCode#UNAVAILABLE}
   * and {@code reason}. For a replica about to receive a checkpoint: nobody reads the old contents
   * while they are being replaced. Idempotent.
   */
  public void suspend(String reason) {
    synchronized (replacing) {
      checkNotClosed();
      if (!suspended) {
        suspended = true;
        core.closeUnavailable(reason);
      }
    }
  }

  /**
   * Reopens the directory after {@link #suspend} (a bootstrap that failed: the old contents, or a
   * checkpoint sealed meanwhile, which the open installs). No-op when not suspended.
   *
   * @throws KevoException as {@link #open}
   */
  public void resume() {
    synchronized (replacing) {
      checkNotClosed();
      if (suspended) {
        DbCore old = core;
        core = DbCore.open(old.directory(), old.options(), env);
        core.readCeiling(readCeiling);
        suspended = false;
      }
    }
  }

  /**
   * Replaces the whole contents with {@code staged}, which must be sealed and staged for this
   * directory: suspends (if not yet), installs it atomically and reopens, so that afterwards this
   * handle reads exactly the checkpoint and {@link WalAccess#nextSequence()} is its sequence + 1.
   * Writes, WAL subscriptions and retention holds of the old contents are gone.
   *
   * @throws KevoException {@link ErrorCode#INVALID_ARGUMENT} if {@code staged} is not sealed or is
   *     for another directory; as {@link #open} if reopening fails (the handle stays suspended; the
   *     next open finishes the installation)
   */
  public void replaceWith(StagedCheckpoint staged) {
    Objects.requireNonNull(staged, "staged");
    if (!staged.sealed() || !staged.databaseDirectory().equals(directory())) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "the checkpoint is not sealed, or for another directory");
    }
    synchronized (replacing) {
      suspend("installing a checkpoint at sequence " + staged.sequence());
      resume();
    }
  }

  private void checkNotClosed() {
    if (closedForGood) {
      throw new KevoException(ErrorCode.CLOSED, "database " + directory() + " is closed");
    }
  }

  /**
   * Closes the database: waits for writes in progress, syncs the log, releases the lock.
   * Idempotent; throws nothing.
   */
  @Override
  public void close() {
    synchronized (replacing) {
      closedForGood = true;
      core.close();
    }
  }
}
