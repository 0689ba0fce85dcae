package io.kevo.engine;

/**
 * A point-in-time view of the engine's counters. Counts are since this handle was opened unless
 * they say otherwise.
 *
 * @param latestSequence the last sequence number visible to reads (0 for an empty database)
 * @param durableSequence the last sequence number known to be on stable storage
 * @param memtableEntries entries (all versions, tombstones included) in memtables
 * @param memtableBytes approximate bytes held by memtables
 * @param walSegments WAL segment files on disk
 * @param walBytes bytes in WAL segment files
 * @param puts put operations written (batch members included)
 * @param deletes delete operations written (batch members included)
 * @param batches calls to {@code write(WriteBatch, ...)}
 * @param gets point reads served
 * @param bytesWritten key and value bytes accepted by writes
 * @param walRecordsWritten logical WAL records appended
 * @param walGroupCommits group commits (one write system call per group)
 * @param walSyncs fsync calls on WAL segments
 * @param recoveredSegments WAL segments replayed at open
 * @param recoveredRecords logical WAL records replayed at open
 * @param recoveredOperations operations replayed at open
 * @param walTornBytesTruncated bytes of a torn final record cut off at open
 * @param walCorruptBytesDiscarded bytes discarded at open under {@link
 *     WalRecoveryMode#TRUNCATE_ON_CORRUPTION}
 * @param recoveryMillis time spent replaying the WAL at open
 * @param levels files and bytes per level, L0 first
 * @param immutableMemtables frozen memtables waiting for flush
 * @param liveSnapshots snapshots open
 * @param persistedSequence every operation at or below it is in SSTables
 * @param flushes memtable flushes completed
 * @param compactions compactions completed (trivial moves included)
 * @param bytesFlushed bytes of SSTables written by flushes
 * @param compactionBytesRead bytes of SSTables read by compactions
 * @param compactionBytesWritten bytes of SSTables written by compactions
 * @param writeAmplification bytes written to the WAL and SSTables per byte of keys and values
 *     accepted, since open (0 before the first write)
 * @param blockCacheHits data blocks served from the block cache
 * @param blockCacheMisses data blocks read from disk
 * @param bloomChecks point lookups that consulted a bloom filter
 * @param bloomUseful lookups a bloom filter answered "absent", saving a block read
 * @param bloomFalsePositives lookups a bloom filter let through for a key the table did not hold
 * @param tablesProbed SSTables point reads consulted (each whose key range held the key, whether
 *     its bloom filter then answered or a block was read); see {@link #readAmplification()}
 * @param walSyncNanos time spent in fsync calls on WAL segments ({@code walSyncs} of them)
 * @param writeSlowdowns write groups delayed because L0 reached {@link Options#l0SlowdownTrigger()}
 * @param writeStops times writers waited for a flush (too many frozen memtables) or for compaction
 *     (L0 at {@link Options#l0StopTrigger()})
 * @param writeStallNanos time writers spent delayed or stopped
 * @param backgroundError why writes are refused now (a WAL, flush or compaction failure, with since
 *     when and whether the engine resumes by itself), or null while they are accepted; see {@link
 *     KevoDB#writeRefusal()}
 */
public record DbStats(
    long latestSequence,
    long durableSequence,
    long memtableEntries,
    long memtableBytes,
    int walSegments,
    long walBytes,
    long puts,
    long deletes,
    long batches,
    long gets,
    long bytesWritten,
    long walRecordsWritten,
    long walGroupCommits,
    long walSyncs,
    int recoveredSegments,
    long recoveredRecords,
    long recoveredOperations,
    long walTornBytesTruncated,
    long walCorruptBytesDiscarded,
    long recoveryMillis,
    java.util.List<LevelStats> levels,
    int immutableMemtables,
    int liveSnapshots,
    long persistedSequence,
    long flushes,
    long compactions,
    long bytesFlushed,
    long compactionBytesRead,
    long compactionBytesWritten,
    double writeAmplification,
    long blockCacheHits,
    long blockCacheMisses,
    long bloomChecks,
    long bloomUseful,
    long bloomFalsePositives,
    long tablesProbed,
    long walSyncNanos,
    long writeSlowdowns,
    long writeStops,
    long writeStallNanos,
    String backgroundError) {

  /** One level of the LSM tree. */
  public record LevelStats(int level, int files, long bytes) {}

  /** SSTable files in all levels. */
  public int sstableCount() {
    int n = 0;
    for (LevelStats l : levels) {
      n += l.files();
    }
    return n;
  }

  /**
   * Read amplification of point reads: SSTables consulted per point read since open (0 before the
   * first read). Reads answered by a memtable count with no table, so a workload that reads what it
   * just wrote stays near 0; each level a key's range falls in adds up to one.
   */
  public double readAmplification() {
    return gets == 0 ? 0 : (double) tablesProbed / gets;
  }

  /** Block cache hit rate in [0, 1] (0 when nothing was read). */
  public double blockCacheHitRate() {
    long total = blockCacheHits + blockCacheMisses;
    return total == 0 ? 0 : (double) blockCacheHits / total;
  }
}
