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
    long recoveryMillis) {}
