package io.kevo.engine.internal;

import io.kevo.engine.DbStats;
import io.kevo.engine.internal.compaction.Background;
import io.kevo.engine.internal.sstable.TableStats;
import io.kevo.engine.internal.version.Version;
import io.kevo.engine.internal.wal.Segment;
import io.kevo.engine.internal.wal.Wal;
import io.kevo.engine.internal.wal.WalRecovery;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a {@link DbStats} part by part, each part named by where its numbers come from (the
 * WAL, recovery, the memtables and levels of a read view, the background worker, the table caches,
 * the write counters), so that no caller lines up the record's positional fields. Derived figures
 * (write amplification) are computed in {@link #build()}. Not thread-safe: one per stats call.
 */
final class StatsBuilder {
  private long latestSequence;
  private long durableSequence;
  private long persistedSequence;
  private long memtableEntries;
  private long memtableBytes;
  private int immutableMemtables;
  private List<DbStats.LevelStats> levels = List.of();
  private int walSegments;
  private long walBytes;
  private long walRecordsWritten;
  private long walGroupCommits;
  private long walSyncs;
  private long walSyncNanos;
  private long walBytesWritten;
  private long puts;
  private long deletes;
  private long batches;
  private long gets;
  private long tablesProbed;
  private long bytesWritten;
  private WalRecovery.Result recovery =
      new WalRecovery.Result(List.of(), 0, 0, 0, 0, 0, 0); // nothing recovered unless told
  private int liveSnapshots;
  private long flushes;
  private long compactions;
  private long bytesFlushed;
  private long compactionBytesRead;
  private long compactionBytesWritten;
  private long blockCacheHits;
  private long blockCacheMisses;
  private long bloomChecks;
  private long bloomUseful;
  private long bloomFalsePositives;
  private long writeSlowdowns;
  private long writeStops;
  private long writeStallNanos;
  private String backgroundError;

  StatsBuilder sequences(long latest, long durable, long persisted) {
    this.latestSequence = latest;
    this.durableSequence = durable;
    this.persistedSequence = persisted;
    return this;
  }

  /** The memtables and per-level file counts of {@code view}. */
  StatsBuilder view(ReadView view) {
    long entries = view.active.entryCount();
    long bytes = view.active.approximateBytes();
    for (ReadView.Frozen f : view.frozen) {
      entries += f.table().entryCount();
      bytes += f.table().approximateBytes();
    }
    List<DbStats.LevelStats> l = new ArrayList<>(Version.MAX_LEVELS);
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      l.add(
          new DbStats.LevelStats(
              level, view.version.fileCount(level), view.version.levelBytes(level)));
    }
    this.memtableEntries = entries;
    this.memtableBytes = bytes;
    this.levels = List.copyOf(l);
    return this;
  }

  /** The segments on disk and what was appended since open. */
  StatsBuilder wal(Wal wal) {
    List<Segment> segs = wal.segments();
    long total = 0;
    for (Segment s : segs) {
      total += s.size();
    }
    this.walSegments = segs.size();
    this.walBytes = total;
    this.walRecordsWritten = wal.recordsWritten();
    this.walGroupCommits = wal.groupCommits();
    this.walSyncs = wal.syncs();
    this.walSyncNanos = wal.syncNanos();
    this.walBytesWritten = wal.bytesWritten();
    return this;
  }

  StatsBuilder recovery(WalRecovery.Result r) {
    this.recovery = r;
    return this;
  }

  StatsBuilder writes(WriteCounters c) {
    this.puts = c.puts();
    this.deletes = c.deletes();
    this.batches = c.batches();
    this.gets = c.gets();
    this.tablesProbed = c.tablesProbed();
    this.bytesWritten = c.bytesWritten();
    return this;
  }

  StatsBuilder background(Background b) {
    this.flushes = b.flushes();
    this.compactions = b.compactions();
    this.bytesFlushed = b.bytesFlushed();
    this.compactionBytesRead = b.compactionBytesRead();
    this.compactionBytesWritten = b.compactionBytesWritten();
    return this;
  }

  StatsBuilder tables(TableStats t) {
    this.blockCacheHits = t.cacheHits();
    this.blockCacheMisses = t.cacheMisses();
    this.bloomChecks = t.bloomChecks();
    this.bloomUseful = t.bloomUseful();
    this.bloomFalsePositives = t.bloomFalsePositives();
    return this;
  }

  StatsBuilder stalls(WriteStalls w) {
    this.writeSlowdowns = w.slowdowns();
    this.writeStops = w.stops();
    this.writeStallNanos = w.nanos();
    return this;
  }

  /** Frozen memtables not yet flushed. */
  StatsBuilder immutableMemtables(int n) {
    this.immutableMemtables = n;
    return this;
  }

  StatsBuilder liveSnapshots(int n) {
    this.liveSnapshots = n;
    return this;
  }

  /** Why writes are refused, or null. */
  StatsBuilder backgroundError(String message) {
    this.backgroundError = message;
    return this;
  }

  DbStats build() {
    long written = walBytesWritten + bytesFlushed + compactionBytesWritten;
    return new DbStats(
        latestSequence,
        durableSequence,
        memtableEntries,
        memtableBytes,
        walSegments,
        walBytes,
        puts,
        deletes,
        batches,
        gets,
        bytesWritten,
        walRecordsWritten,
        walGroupCommits,
        walSyncs,
        recovery.segments().size(),
        recovery.records(),
        recovery.operations(),
        recovery.tornBytes(),
        recovery.discardedBytes(),
        recovery.millis(),
        levels,
        immutableMemtables,
        liveSnapshots,
        persistedSequence,
        flushes,
        compactions,
        bytesFlushed,
        compactionBytesRead,
        compactionBytesWritten,
        bytesWritten == 0 ? 0 : (double) written / bytesWritten,
        blockCacheHits,
        blockCacheMisses,
        bloomChecks,
        bloomUseful,
        bloomFalsePositives,
        tablesProbed,
        walSyncNanos,
        writeSlowdowns,
        writeStops,
        writeStallNanos,
        backgroundError);
  }
}
