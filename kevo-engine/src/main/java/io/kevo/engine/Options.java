package io.kevo.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Database options. Immutable; build with {@link #builder()}, start from {@link #DEFAULT}. The
 * builder validates every value and names the one it refuses.
 */
public final class Options {
  public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
  public static final long DEFAULT_MEMTABLE_SIZE = 64L << 20;
  public static final int DEFAULT_MAX_KEY_SIZE = 64 << 10;
  public static final int DEFAULT_MAX_VALUE_SIZE = 64 << 20;
  public static final long DEFAULT_BATCH_SYNC_BYTES = 1L << 20;
  public static final Duration DEFAULT_BATCH_SYNC_INTERVAL = Duration.ofMillis(10);

  /** Defaults: WAL in {@code <dir>/wal}, 64 MiB segments, {@link SyncMode#BATCH}. */
  public static final Options DEFAULT = builder().build();

  private final Path walDirectory;
  private final long segmentSize;
  private final SyncMode syncMode;
  private final long batchSyncBytes;
  private final Duration batchSyncInterval;
  private final long memtableSize;
  private final int maxKeySize;
  private final int maxValueSize;
  private final WalRecoveryMode walRecoveryMode;

  private Options(Builder b) {
    this.walDirectory = b.walDirectory;
    this.segmentSize = b.segmentSize;
    this.syncMode = b.syncMode;
    this.batchSyncBytes = b.batchSyncBytes;
    this.batchSyncInterval = b.batchSyncInterval;
    this.memtableSize = b.memtableSize;
    this.maxKeySize = b.maxKeySize;
    this.maxValueSize = b.maxValueSize;
    this.walRecoveryMode = b.walRecoveryMode;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.walDirectory = walDirectory;
    b.segmentSize = segmentSize;
    b.syncMode = syncMode;
    b.batchSyncBytes = batchSyncBytes;
    b.batchSyncInterval = batchSyncInterval;
    b.memtableSize = memtableSize;
    b.maxKeySize = maxKeySize;
    b.maxValueSize = maxValueSize;
    b.walRecoveryMode = walRecoveryMode;
    return b;
  }

  /** The WAL directory, or {@code null} for {@code <database dir>/wal}. */
  public Path walDirectory() {
    return walDirectory;
  }

  /** A segment is closed and a new one started once it reaches this many bytes. */
  public long segmentSize() {
    return segmentSize;
  }

  public SyncMode syncMode() {
    return syncMode;
  }

  /** With {@link SyncMode#BATCH}: fsync once this many bytes are unsynced. */
  public long batchSyncBytes() {
    return batchSyncBytes;
  }

  /** With {@link SyncMode#BATCH}: fsync at most this long after an unsynced write. */
  public Duration batchSyncInterval() {
    return batchSyncInterval;
  }

  /**
   * Target size of the mutable memtable in bytes. Flushing to SSTables (and so enforcing this
   * bound) arrives with the LSM issue; until then it is validated and reported only.
   */
  public long memtableSize() {
    return memtableSize;
  }

  /** Largest accepted key, in bytes. */
  public int maxKeySize() {
    return maxKeySize;
  }

  /** Largest accepted value, in bytes. */
  public int maxValueSize() {
    return maxValueSize;
  }

  public WalRecoveryMode walRecoveryMode() {
    return walRecoveryMode;
  }

  @Override
  public String toString() {
    return "Options{walDirectory="
        + walDirectory
        + ", segmentSize="
        + segmentSize
        + ", syncMode="
        + syncMode
        + ", batchSyncBytes="
        + batchSyncBytes
        + ", batchSyncInterval="
        + batchSyncInterval
        + ", memtableSize="
        + memtableSize
        + ", maxKeySize="
        + maxKeySize
        + ", maxValueSize="
        + maxValueSize
        + ", walRecoveryMode="
        + walRecoveryMode
        + '}';
  }

  /** Builder for {@link Options}. Not thread-safe. */
  public static final class Builder {
    private Path walDirectory;
    private long segmentSize = DEFAULT_SEGMENT_SIZE;
    private SyncMode syncMode = SyncMode.BATCH;
    private long batchSyncBytes = DEFAULT_BATCH_SYNC_BYTES;
    private Duration batchSyncInterval = DEFAULT_BATCH_SYNC_INTERVAL;
    private long memtableSize = DEFAULT_MEMTABLE_SIZE;
    private int maxKeySize = DEFAULT_MAX_KEY_SIZE;
    private int maxValueSize = DEFAULT_MAX_VALUE_SIZE;
    private WalRecoveryMode walRecoveryMode = WalRecoveryMode.STOP_ON_CORRUPTION;

    private Builder() {}

    /** Where WAL segments live; {@code null} means {@code <database dir>/wal}. */
    public Builder walDirectory(Path dir) {
      this.walDirectory = dir;
      return this;
    }

    /** Segment size in bytes, from 64 KiB to 4 GiB. */
    public Builder segmentSize(long bytes) {
      this.segmentSize = check("segmentSize", bytes, 64L << 10, 4L << 30);
      return this;
    }

    public Builder syncMode(SyncMode mode) {
      this.syncMode = Objects.requireNonNull(mode, "syncMode");
      return this;
    }

    /** {@link SyncMode#BATCH} byte threshold, from 1 byte to 1 GiB. */
    public Builder batchSyncBytes(long bytes) {
      this.batchSyncBytes = check("batchSyncBytes", bytes, 1, 1L << 30);
      return this;
    }

    /** {@link SyncMode#BATCH} time threshold, from 100 µs to 1 minute. */
    public Builder batchSyncInterval(Duration interval) {
      Objects.requireNonNull(interval, "batchSyncInterval");
      check("batchSyncInterval (µs)", interval.toNanos() / 1000, 100, 60_000_000);
      this.batchSyncInterval = interval;
      return this;
    }

    /** Memtable size in bytes, from 64 KiB to 16 GiB. */
    public Builder memtableSize(long bytes) {
      this.memtableSize = check("memtableSize", bytes, 64L << 10, 16L << 30);
      return this;
    }

    /** Largest key in bytes, from 1 byte to 16 MiB. */
    public Builder maxKeySize(int bytes) {
      this.maxKeySize = (int) check("maxKeySize", bytes, 1, 16 << 20);
      return this;
    }

    /** Largest value in bytes, from 0 to 1 GiB. */
    public Builder maxValueSize(int bytes) {
      this.maxValueSize = (int) check("maxValueSize", bytes, 0, 1 << 30);
      return this;
    }

    public Builder walRecoveryMode(WalRecoveryMode mode) {
      this.walRecoveryMode = Objects.requireNonNull(mode, "walRecoveryMode");
      return this;
    }

    public Options build() {
      return new Options(this);
    }

    private static long check(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new KevoException(
            ErrorCode.INVALID_ARGUMENT,
            name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    }
  }
}
