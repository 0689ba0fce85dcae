package io.kevo.server.metrics;

import io.kevo.engine.DbStats;
import io.kevo.engine.KevoDB;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's counters ({@link KevoDB#stats()}) as {@code kevo_engine_*} meters, plus the free and
 * total space of the data directory's file system ({@code disk_free_bytes}, {@code
 * disk_total_bytes}, tag {@code path}). One {@code stats()} call serves every meter of a scrape:
 * the snapshot is reused for {@link #MAX_AGE_NANOS}. Per-level meters ({@code level} tag) appear as
 * levels get files, when {@link #refresh()} runs before a scrape.
 *
 * <p>Thread-safe.
 */
final class EngineMeters {
  private static final Logger LOG = LoggerFactory.getLogger(EngineMeters.class);

  /** A scrape reads dozens of meters; they share one snapshot taken at most this long ago. */
  static final long MAX_AGE_NANOS = 200_000_000L;

  private final KevoDB db;
  private final MeterRegistry registry;
  private final LongSupplier nanoTime;
  private final Set<Integer> levelsBound = ConcurrentHashMap.newKeySet();
  private DbStats cached; // guarded by this
  private long cachedAt; // guarded by this

  EngineMeters(KevoDB db, MeterRegistry registry, LongSupplier nanoTime) {
    this.db = db;
    this.registry = registry;
    this.nanoTime = nanoTime;
  }

  void bind() {
    gauge(
        "kevo.engine.sequence.latest",
        null,
        "Last sequence visible to reads",
        DbStats::latestSequence);
    gauge(
        "kevo.engine.sequence.durable",
        null,
        "Last sequence on stable storage",
        DbStats::durableSequence);
    gauge(
        "kevo.engine.sequence.persisted",
        null,
        "Every operation at or below it is in SSTables",
        DbStats::persistedSequence);
    gauge(
        "kevo.engine.memtable",
        "bytes",
        "Approximate bytes held by memtables",
        DbStats::memtableBytes);
    gauge(
        "kevo.engine.memtable.entries",
        null,
        "Entries (versions and tombstones) in memtables",
        DbStats::memtableEntries);
    gauge(
        "kevo.engine.memtables.immutable",
        null,
        "Frozen memtables waiting for flush",
        DbStats::immutableMemtables);
    gauge("kevo.engine.wal", "bytes", "Bytes in WAL segment files", DbStats::walBytes);
    gauge("kevo.engine.wal.segments", null, "WAL segment files on disk", DbStats::walSegments);
    gauge("kevo.engine.sstables", null, "SSTable files in all levels", DbStats::sstableCount);
    gauge("kevo.engine.snapshots", null, "Snapshots open", DbStats::liveSnapshots);
    gauge(
        "kevo.engine.write.amplification",
        null,
        "Bytes written to WAL and SSTables per byte accepted, since open",
        DbStats::writeAmplification);
    gauge(
        "kevo.engine.read.amplification",
        null,
        "SSTables consulted per point read, since open",
        DbStats::readAmplification);
    gauge(
        "kevo.engine.block.cache.hit.ratio",
        null,
        "Block cache hits per data block read, since open",
        DbStats::blockCacheHitRate);
    Gauge.builder("kevo.engine.writes.refused", this, m -> m.db.writeRefusal().isPresent() ? 1 : 0)
        .description(
            "1 while the engine refuses writes (disk full, failed fsync, background error)")
        .register(registry);

    counter("kevo.engine.puts", null, "Put operations written", DbStats::puts);
    counter("kevo.engine.deletes", null, "Delete operations written", DbStats::deletes);
    counter("kevo.engine.batches", null, "Write batches", DbStats::batches);
    counter("kevo.engine.gets", null, "Point reads served", DbStats::gets);
    counter(
        "kevo.engine.written",
        "bytes",
        "Key and value bytes accepted by writes",
        DbStats::bytesWritten);
    counter(
        "kevo.engine.wal.records",
        null,
        "Logical WAL records appended",
        DbStats::walRecordsWritten);
    counter("kevo.engine.wal.group.commits", null, "WAL group commits", DbStats::walGroupCommits);
    counter("kevo.engine.wal.syncs", null, "fsync calls on WAL segments", DbStats::walSyncs);
    FunctionTimer.builder(
            "kevo.engine.wal.sync",
            this,
            m -> {
              DbStats s = m.stats();
              return s == null ? 0 : s.walSyncs();
            },
            m -> m.read(DbStats::walSyncNanos),
            TimeUnit.NANOSECONDS)
        .description("Time in fsync calls on WAL segments (sum over count: the mean sync)")
        .register(registry);
    counter("kevo.engine.flushes", null, "Memtable flushes completed", DbStats::flushes);
    counter(
        "kevo.engine.flushed", "bytes", "SSTable bytes written by flushes", DbStats::bytesFlushed);
    counter(
        "kevo.engine.compactions",
        null,
        "Compactions completed (trivial moves included)",
        DbStats::compactions);
    counter(
        "kevo.engine.compaction.read",
        "bytes",
        "SSTable bytes read by compactions",
        DbStats::compactionBytesRead);
    counter(
        "kevo.engine.compaction.written",
        "bytes",
        "SSTable bytes written by compactions",
        DbStats::compactionBytesWritten);
    counter(
        "kevo.engine.block.cache.hits",
        null,
        "Data blocks served from the block cache",
        DbStats::blockCacheHits);
    counter(
        "kevo.engine.block.cache.misses",
        null,
        "Data blocks read from disk",
        DbStats::blockCacheMisses);
    counter(
        "kevo.engine.bloom.checks",
        null,
        "Point lookups that consulted a bloom filter",
        DbStats::bloomChecks);
    counter(
        "kevo.engine.bloom.useful",
        null,
        "Lookups a bloom filter answered absent",
        DbStats::bloomUseful);
    counter(
        "kevo.engine.bloom.false.positives",
        null,
        "Lookups a bloom filter let through for an absent key",
        DbStats::bloomFalsePositives);

    counter(
        "kevo.engine.write.slowdowns",
        null,
        "Write groups delayed because L0 reached the slowdown trigger",
        DbStats::writeSlowdowns);
    counter(
        "kevo.engine.write.stops",
        null,
        "Times writers waited for a flush or for compaction",
        DbStats::writeStops);
    counter(
        "kevo.engine.write.stall",
        "seconds",
        "Time writers spent delayed or stopped",
        s -> s.writeStallNanos() / 1e9);
    // The limits, next to kevo_engine_level_files and kevo_engine_memtables_immutable, say how
    // close writers are to being slowed down or stopped.
    limit(
        "kevo.engine.l0.slowdown.trigger",
        "L0 files from which each write group is delayed 1 ms",
        db.options().l0SlowdownTrigger());
    limit(
        "kevo.engine.l0.stop.trigger",
        "L0 files at which writers wait for compaction",
        db.options().l0StopTrigger());
    limit(
        "kevo.engine.memtables.immutable.max",
        "Frozen memtables at which writers wait for a flush",
        db.options().maxImmutableMemtables());
    new DiskSpaceMetrics(db.directory().toFile()).bindTo(registry);
    refresh();
  }

  /** Binds the per-level meters of levels that have appeared since the last call. */
  void refresh() {
    DbStats s = stats();
    if (s == null) {
      return;
    }
    for (DbStats.LevelStats l : s.levels()) {
      int level = l.level();
      if (levelsBound.add(level)) {
        String tag = Integer.toString(level);
        Gauge.builder("kevo.engine.level", this, m -> m.level(level, true))
            .description("Bytes in SSTables per level")
            .baseUnit("bytes")
            .tag("level", tag)
            .register(registry);
        Gauge.builder("kevo.engine.level.files", this, m -> m.level(level, false))
            .description("SSTable files per level")
            .tag("level", tag)
            .register(registry);
      }
    }
  }

  private double level(int level, boolean bytes) {
    DbStats s = stats();
    if (s == null) {
      return Double.NaN;
    }
    for (DbStats.LevelStats l : s.levels()) {
      if (l.level() == level) {
        return bytes ? l.bytes() : l.files();
      }
    }
    return 0;
  }

  /** The engine's counters, at most {@link #MAX_AGE_NANOS} old; null if they cannot be read. */
  synchronized DbStats stats() {
    long now = nanoTime.getAsLong();
    if (cached == null || now - cachedAt > MAX_AGE_NANOS) {
      try {
        cached = db.stats();
        cachedAt = now;
      } catch (RuntimeException e) {
        LOG.debug("engine stats unavailable for metrics", e);
        return null;
      }
    }
    return cached;
  }

  private void limit(String name, String description, int value) {
    Gauge.builder(name, () -> value).description(description).register(registry);
  }

  private void gauge(String name, String unit, String description, ToDoubleFunction<DbStats> f) {
    Gauge.builder(name, this, m -> m.read(f))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private void counter(String name, String unit, String description, ToDoubleFunction<DbStats> f) {
    FunctionCounter.builder(name, this, m -> m.read(f))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private double read(ToDoubleFunction<DbStats> f) {
    DbStats s = stats();
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }
}
