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
  private final boolean holdWalAtOpen;
  private final Compression compression;
  private final int blockSize;
  private final int bloomBitsPerKey;
  private final long blockCacheSize;
  private final long targetFileSize;
  private final long level1MaxBytes;
  private final int levelSizeRatio;
  private final int l0CompactionTrigger;
  private final int l0SlowdownTrigger;
  private final int l0StopTrigger;
  private final int maxImmutableMemtables;
  private final FatalErrorListener fatalErrorListener;

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
    this.holdWalAtOpen = b.holdWalAtOpen;
    this.compression = b.compression;
    this.blockSize = b.blockSize;
    this.bloomBitsPerKey = b.bloomBitsPerKey;
    this.blockCacheSize = b.blockCacheSize;
    this.targetFileSize = b.targetFileSize;
    this.level1MaxBytes = b.level1MaxBytes;
    this.levelSizeRatio = b.levelSizeRatio;
    this.l0CompactionTrigger = b.l0CompactionTrigger;
    this.l0SlowdownTrigger = b.l0SlowdownTrigger;
    this.l0StopTrigger = b.l0StopTrigger;
    this.maxImmutableMemtables = b.maxImmutableMemtables;
    this.fatalErrorListener = b.fatalErrorListener;
    if (l0SlowdownTrigger > l0StopTrigger || l0CompactionTrigger > l0SlowdownTrigger) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "need l0CompactionTrigger <= l0SlowdownTrigger <= l0StopTrigger, got "
              + l0CompactionTrigger
              + ", "
              + l0SlowdownTrigger
              + ", "
              + l0StopTrigger);
    }
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
    b.holdWalAtOpen = holdWalAtOpen;
    b.compression = compression;
    b.blockSize = blockSize;
    b.bloomBitsPerKey = bloomBitsPerKey;
    b.blockCacheSize = blockCacheSize;
    b.targetFileSize = targetFileSize;
    b.level1MaxBytes = level1MaxBytes;
    b.levelSizeRatio = levelSizeRatio;
    b.l0CompactionTrigger = l0CompactionTrigger;
    b.l0SlowdownTrigger = l0SlowdownTrigger;
    b.l0StopTrigger = l0StopTrigger;
    b.maxImmutableMemtables = maxImmutableMemtables;
    b.fatalErrorListener = fatalErrorListener;
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

  /** Once the mutable memtable holds about this many bytes it is frozen and flushed to L0. */
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

  /**
   * Whether open keeps every WAL segment (even those already in SSTables, including what open
   * itself replays and flushes) under a hold the owner takes with {@link
   * WalAccess#takeOpeningHold()}; closing it deletes at once what only it kept. A replication
   * primary re-creates its replicas' holds from its own records before letting the log be trimmed;
   * a replica checks its history against its primary's first. Default false.
   */
  public boolean holdWalAtOpen() {
    return holdWalAtOpen;
  }

  /** Block compression of SSTables. */
  public Compression compression() {
    return compression;
  }

  /** Target uncompressed size of an SSTable data block, in bytes. */
  public int blockSize() {
    return blockSize;
  }

  /** Bloom filter bits per key (0 disables the filter). */
  public int bloomBitsPerKey() {
    return bloomBitsPerKey;
  }

  /** Bytes of decompressed blocks kept in the block cache (0 disables it). */
  public long blockCacheSize() {
    return blockCacheSize;
  }

  /** Compaction output files are cut at about this size. */
  public long targetFileSize() {
    return targetFileSize;
  }

  /** Target total size of level 1; level n holds {@code levelSizeRatio} times level n-1. */
  public long level1MaxBytes() {
    return level1MaxBytes;
  }

  /** Size ratio between consecutive levels. */
  public int levelSizeRatio() {
    return levelSizeRatio;
  }

  /** Number of L0 files that starts an L0 compaction. */
  public int l0CompactionTrigger() {
    return l0CompactionTrigger;
  }

  /** Number of L0 files at which each write group is delayed by 1 ms. */
  public int l0SlowdownTrigger() {
    return l0SlowdownTrigger;
  }

  /** Number of L0 files at which writes wait for compaction. */
  public int l0StopTrigger() {
    return l0StopTrigger;
  }

  /** Full memtables waiting for flush before writes wait. */
  public int maxImmutableMemtables() {
    return maxImmutableMemtables;
  }

  /**
   * Who hears of a {@link VirtualMachineError} the engine meets, or {@code null} (the default) for
   * no one. Either way the engine then refuses writes until reopened (see {@link
   * FatalErrorListener}): an embedded application that registers nothing keeps running and reading,
   * and decides itself when to reopen; a server registers one that halts the JVM.
   */
  public FatalErrorListener fatalErrorListener() {
    return fatalErrorListener;
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
        + ", holdWalAtOpen="
        + holdWalAtOpen
        + ", compression="
        + compression
        + ", blockSize="
        + blockSize
        + ", bloomBitsPerKey="
        + bloomBitsPerKey
        + ", blockCacheSize="
        + blockCacheSize
        + ", targetFileSize="
        + targetFileSize
        + ", level1MaxBytes="
        + level1MaxBytes
        + ", levelSizeRatio="
        + levelSizeRatio
        + ", l0CompactionTrigger="
        + l0CompactionTrigger
        + ", l0SlowdownTrigger="
        + l0SlowdownTrigger
        + ", l0StopTrigger="
        + l0StopTrigger
        + ", maxImmutableMemtables="
        + maxImmutableMemtables
        + ", fatalErrorListener="
        + (fatalErrorListener == null ? "none" : "set")
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
    private boolean holdWalAtOpen;
    private Compression compression = Compression.SNAPPY;
    private int blockSize = 4 << 10;
    private int bloomBitsPerKey = 10;
    private long blockCacheSize = 64L << 20;
    private long targetFileSize = 64L << 20;
    private long level1MaxBytes = 256L << 20;
    private int levelSizeRatio = 10;
    private int l0CompactionTrigger = 4;
    private int l0SlowdownTrigger = 20;
    private int l0StopTrigger = 36;
    private int maxImmutableMemtables = 1;
    private FatalErrorListener fatalErrorListener;

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

    /** See {@link Options#holdWalAtOpen()}. */
    public Builder holdWalAtOpen(boolean v) {
      this.holdWalAtOpen = v;
      return this;
    }

    /** Block compression of new SSTables (existing files keep theirs). */
    public Builder compression(Compression v) {
      this.compression = Objects.requireNonNull(v, "compression");
      return this;
    }

    /** Data block size in bytes, from 512 B to 1 MiB. */
    public Builder blockSize(int v) {
      this.blockSize = (int) check("blockSize", v, 512, 1 << 20);
      return this;
    }

    /** Bloom filter bits per key, from 0 (none) to 30. */
    public Builder bloomBitsPerKey(int v) {
      this.bloomBitsPerKey = (int) check("bloomBitsPerKey", v, 0, 30);
      return this;
    }

    /** Block cache capacity in bytes, from 0 to 64 GiB. */
    public Builder blockCacheSize(long v) {
      this.blockCacheSize = check("blockCacheSize", v, 0, 64L << 30);
      return this;
    }

    /** Target SSTable size in bytes, from 64 KiB to 4 GiB. */
    public Builder targetFileSize(long v) {
      this.targetFileSize = check("targetFileSize", v, 64L << 10, 4L << 30);
      return this;
    }

    /** Level 1 target size in bytes, from 64 KiB to 1 TiB. */
    public Builder level1MaxBytes(long v) {
      this.level1MaxBytes = check("level1MaxBytes", v, 64L << 10, 1L << 40);
      return this;
    }

    /** Size ratio between levels, from 2 to 100. */
    public Builder levelSizeRatio(int v) {
      this.levelSizeRatio = (int) check("levelSizeRatio", v, 2, 100);
      return this;
    }

    /** L0 files that start a compaction, from 1 to 1000. */
    public Builder l0CompactionTrigger(int v) {
      this.l0CompactionTrigger = (int) check("l0CompactionTrigger", v, 1, 1000);
      return this;
    }

    /** L0 files at which writes slow down, from 1 to 1000. */
    public Builder l0SlowdownTrigger(int v) {
      this.l0SlowdownTrigger = (int) check("l0SlowdownTrigger", v, 1, 1000);
      return this;
    }

    /** L0 files at which writes wait, from 1 to 1000. */
    public Builder l0StopTrigger(int v) {
      this.l0StopTrigger = (int) check("l0StopTrigger", v, 1, 1000);
      return this;
    }

    /** Full memtables allowed to wait for flush, from 1 to 16. */
    public Builder maxImmutableMemtables(int v) {
      this.maxImmutableMemtables = (int) check("maxImmutableMemtables", v, 1, 16);
      return this;
    }

    /** See {@link Options#fatalErrorListener()}; {@code null} for none. */
    public Builder fatalErrorListener(FatalErrorListener listener) {
      this.fatalErrorListener = listener;
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
