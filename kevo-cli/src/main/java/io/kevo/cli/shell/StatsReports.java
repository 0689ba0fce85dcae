package io.kevo.cli.shell;

import static io.kevo.cli.shell.Figures.NONE;
import static io.kevo.cli.shell.Figures.bytes;
import static io.kevo.cli.shell.Figures.count;
import static io.kevo.cli.shell.Figures.millis;
import static io.kevo.cli.shell.Figures.percent;
import static io.kevo.cli.shell.Figures.ratio;

import io.kevo.engine.DbStats;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.LatencyStats;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters of an embedded engine ({@link DbStats}) or of a server ({@link GetStatsResponse}),
 * grouped and formatted for people ({@link Figures}). Write amplification shows {@code -} until the
 * first flush: before one, only the WAL has been written and the figure means nothing yet.
 * Stateless and thread-safe.
 */
public final class StatsReports {
  private StatsReports() {}

  /** An embedded engine's counters, in sections from the data down to the files. */
  public static Report embedded(DbStats s) {
    Report r = new Report();
    r.section("Data")
        .row("latest sequence", Long.toString(s.latestSequence()))
        .row("durable sequence", Long.toString(s.durableSequence()))
        .row("persisted sequence", Long.toString(s.persistedSequence()))
        .row("live snapshots", count(s.liveSnapshots()));
    r.section("Writes and reads")
        .row("puts", count(s.puts()))
        .row("deletes", count(s.deletes()))
        .row("batches", count(s.batches()))
        .row("gets", count(s.gets()))
        .row("bytes written", bytes(s.bytesWritten()))
        .row(
            "write amplification",
            s.flushes() == 0 ? NONE + " (no flush yet)" : ratio(s.writeAmplification()));
    r.section("Memtables")
        .row("entries", count(s.memtableEntries()))
        .row("size", bytes(s.memtableBytes()))
        .row("waiting for flush", count(s.immutableMemtables()));
    r.section("Write-ahead log")
        .row("segments", count(s.walSegments()))
        .row("size", bytes(s.walBytes()))
        .row("records written", count(s.walRecordsWritten()))
        .row("group commits", count(s.walGroupCommits()))
        .row("syncs", count(s.walSyncs()));
    r.section("SSTables");
    long files = 0;
    long tableBytes = 0;
    for (DbStats.LevelStats l : s.levels()) {
      if (l.files() > 0) {
        r.row("level " + l.level(), count(l.files()) + " files, " + bytes(l.bytes()));
      }
      files += l.files();
      tableBytes += l.bytes();
    }
    r.row("total", count(files) + " files, " + bytes(tableBytes))
        .row("flushes", count(s.flushes()) + " (" + bytes(s.bytesFlushed()) + " written)")
        .row(
            "compactions",
            count(s.compactions())
                + " ("
                + bytes(s.compactionBytesRead())
                + " read, "
                + bytes(s.compactionBytesWritten())
                + " written)");
    long blockReads = s.blockCacheHits() + s.blockCacheMisses();
    r.section("Caches and filters")
        .row(
            "block cache hit rate",
            percent(s.blockCacheHits(), blockReads)
                + " ("
                + count(s.blockCacheHits())
                + " of "
                + count(blockReads)
                + " block reads)")
        .row(
            "bloom filter",
            count(s.bloomChecks())
                + " checks, "
                + percent(s.bloomUseful(), s.bloomChecks())
                + " saved a read, "
                + count(s.bloomFalsePositives())
                + " false positives");
    r.section("Recovery at open")
        .row(
            "replayed",
            count(s.recoveredOperations())
                + " operations in "
                + count(s.recoveredRecords())
                + " records from "
                + count(s.recoveredSegments())
                + " segments in "
                + millis(s.recoveryMillis()))
        .row(
            "discarded",
            bytes(s.walTornBytesTruncated())
                + " torn tail, "
                + bytes(s.walCorruptBytesDiscarded())
                + " corrupt");
    r.section("Health")
        .row(
            "writes", s.backgroundError() == null ? "accepted" : "REFUSED: " + s.backgroundError());
    return r;
  }

  /** A server's counters: keys and storage, then one row per operation. */
  public static Report server(GetStatsResponse s) {
    Report r = new Report();
    r.section("Keys and storage")
        .row("keys", count(s.getKeyCount()))
        .row("storage size", bytes(s.getStorageSize()))
        .row("memtables", count(s.getMemtableCount()))
        .row("sstables", count(s.getSstableCount()))
        .row("flushes", count(s.getFlushCount()))
        .row("compactions", count(s.getCompactionCount()))
        .row(
            "write amplification",
            s.getFlushCount() == 0 ? NONE + " (no flush yet)" : ratio(s.getWriteAmplification()))
        .row("read amplification", ratio(s.getReadAmplification()))
        .row("bytes read", bytes(s.getTotalBytesRead()))
        .row("bytes written", bytes(s.getTotalBytesWritten()));
    if (s.hasRecoveryStats()) {
      r.row(
          "WAL recovery",
          count(s.getRecoveryStats().getWalEntriesRecovered())
              + " entries from "
              + count(s.getRecoveryStats().getWalFilesRecovered())
              + " files in "
              + millis(s.getRecoveryStats().getWalRecoveryDurationMs()));
    }
    r.row("writes", s.getWriteRefusal().isEmpty() ? "accepted" : "REFUSED: " + s.getWriteRefusal());
    Map<String, Long> counts = new TreeMap<>(s.getOperationCountsMap());
    if (!counts.isEmpty()) {
      r.table("Operations", "", "calls", "avg", "min", "max");
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        LatencyStats l = s.getLatencyStatsMap().get(e.getKey());
        r.row(
            e.getKey(),
            count(e.getValue()),
            l == null ? NONE : Figures.micros(l.getAvgNs()),
            l == null ? NONE : Figures.micros(l.getMinNs()),
            l == null ? NONE : Figures.micros(l.getMaxNs()));
      }
    }
    // The server counts failures by status code, not by operation.
    if (!s.getErrorCountsMap().isEmpty()) {
      r.section("Failed calls");
      new TreeMap<>(s.getErrorCountsMap()).forEach((code, n) -> r.row(code, count(n)));
    }
    return r;
  }
}
