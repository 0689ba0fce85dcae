package io.kevo.engine;

import io.kevo.engine.internal.DbCore;
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
  private final DbCore core;

  private KevoDB(DbCore core) {
    this.core = core;
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
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    return new KevoDB(DbCore.open(dir, options));
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
    return Optional.ofNullable(core.get(key));
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

  /** The last sequence number visible to reads; 0 for a database never written. */
  public long latestSequence() {
    return core.latestSequence();
  }

  /**
   * Live key-value pairs in ascending key order within {@code scan}, as of the moment of the call
   * (later writes are not seen). Until SSTables exist every key lives in the memtable.
   */
  public KevoIterator scan(ScanOptions scan) {
    return core.scan(scan);
  }

  /** The write-ahead log as seen by replication: reading, listening and retention holds. */
  public WalAccess wal() {
    return core.wal();
  }

  /** A snapshot of the engine's counters. */
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
   * Closes the database: waits for writes in progress, syncs the log, releases the lock.
   * Idempotent; throws nothing.
   */
  @Override
  public void close() {
    core.close();
  }
}
