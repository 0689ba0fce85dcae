package io.kevo.server;

import io.kevo.engine.DbStats;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.LatencyStats;
import io.kevo.proto.RecoveryStats;

/**
 * Builds a {@code GetStatsResponse} from the engine's counters and the server's own. Fields whose
 * meaning needs a word:
 *
 * <ul>
 *   <li>{@code key_count}: live keys counted by a scan that stops at {@link
 *       ServerOptions#statsKeyCountLimit()}; at the limit it is a floor, not the total.
 *   <li>{@code storage_size}: bytes in SSTables plus bytes in WAL segments.
 *   <li>{@code memtable_count}: the active memtable plus those frozen and waiting for flush.
 *   <li>{@code read_amplification}: sorted runs a point lookup may consult in the worst case
 *       (memtables, each L0 table, each non-empty deeper level).
 *   <li>{@code total_bytes_read}: key and value bytes this server returned to clients since it
 *       started; {@code total_bytes_written}: key and value bytes the engine accepted since open.
 *   <li>{@code operation_counts} and {@code latency_stats}: per RPC name ({@code Get}, {@code
 *       Scan}, ...), completed calls since the server started; {@code error_counts}: failed calls
 *       by gRPC status code name.
 *   <li>{@code recovery_stats}: the WAL replay at open; {@code wal_corrupted_entries} counts a torn
 *       tail and a discarded corrupt tail as one entry each (the engine counts bytes).
 *   <li>{@code write_refusal} (our addition): why the engine refuses writes now, as a write would
 *       be told, or empty.
 * </ul>
 */
final class StatsMapper {
  private StatsMapper() {}

  static GetStatsResponse toProto(DbStats s, long keyCount, RpcMetrics metrics) {
    long sstableBytes = 0;
    int l0Files = 0;
    int deeperLevels = 0;
    for (DbStats.LevelStats level : s.levels()) {
      sstableBytes += level.bytes();
      if (level.level() == 0) {
        l0Files += level.files();
      } else if (level.files() > 0) {
        deeperLevels++;
      }
    }
    int memtables = 1 + s.immutableMemtables();
    GetStatsResponse.Builder b =
        GetStatsResponse.newBuilder()
            .setKeyCount(keyCount)
            .setStorageSize(sstableBytes + s.walBytes())
            .setMemtableCount(memtables)
            .setSstableCount(s.sstableCount())
            .setWriteAmplification(s.writeAmplification())
            .setReadAmplification(memtables + l0Files + deeperLevels)
            .setTotalBytesRead(metrics.bytesRead())
            .setTotalBytesWritten(s.bytesWritten())
            .setFlushCount(s.flushes())
            .setCompactionCount(s.compactions())
            .setRecoveryStats(
                RecoveryStats.newBuilder()
                    .setWalFilesRecovered(s.recoveredSegments())
                    .setWalEntriesRecovered(s.recoveredOperations())
                    .setWalCorruptedEntries(
                        (s.walTornBytesTruncated() > 0 ? 1 : 0)
                            + (s.walCorruptBytesDiscarded() > 0 ? 1 : 0))
                    .setWalRecoveryDurationMs(s.recoveryMillis()));
    if (s.backgroundError() != null) {
      b.setWriteRefusal(s.backgroundError());
    }
    metrics
        .latencies()
        .forEach(
            (rpc, l) -> {
              b.putOperationCounts(rpc, l.count());
              b.putLatencyStats(
                  rpc,
                  LatencyStats.newBuilder()
                      .setCount(l.count())
                      .setAvgNs(l.avgNanos())
                      .setMinNs(l.minNanos())
                      .setMaxNs(l.maxNanos())
                      .build());
            });
    metrics.errors().forEach(b::putErrorCounts);
    return b.build();
  }
}
