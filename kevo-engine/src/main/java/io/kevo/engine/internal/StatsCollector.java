package io.kevo.engine.internal;

import io.kevo.engine.DbStats;
import io.kevo.engine.internal.compaction.Background;
import io.kevo.engine.internal.sstable.TableStats;
import io.kevo.engine.internal.version.VersionSet;
import io.kevo.engine.internal.wal.Wal;
import io.kevo.engine.internal.wal.WalRecovery;

/**
 * Gathers {@link DbStats} from the components that keep the numbers, through a {@link
 * StatsBuilder}.
 *
 * <p>Thread-safe: any thread, without locks; every source is read as it is at that moment, so the
 * figures are each current but not a consistent cut (a write in progress may show in one counter
 * and not yet in another).
 */
final class StatsCollector {
  private final Wal wal;
  private final WalRecovery.Result recovery;
  private final VersionSet versions;
  private final LsmState lsm;
  private final Snapshots snapshots;
  private final Background background;
  private final TableStats tableStats;
  private final WriteCounters counters;
  private final VisibleSequence visible;
  private final ErrorRecovery errors;

  StatsCollector(
      Wal wal,
      WalRecovery.Result recovery,
      VersionSet versions,
      LsmState lsm,
      Snapshots snapshots,
      Background background,
      TableStats tableStats,
      WriteCounters counters,
      VisibleSequence visible,
      ErrorRecovery errors) {
    this.wal = wal;
    this.recovery = recovery;
    this.versions = versions;
    this.lsm = lsm;
    this.snapshots = snapshots;
    this.background = background;
    this.tableStats = tableStats;
    this.counters = counters;
    this.visible = visible;
    this.errors = errors;
  }

  DbStats collect() {
    StatsBuilder b = new StatsBuilder().wal(wal);
    ReadView view = lsm.acquireView();
    try {
      b.view(view);
    } finally {
      view.unref();
    }
    WriteStop stop = errors.current();
    return b.sequences(visible.get(), wal.durableSequence(), versions.persistedSequence())
        .immutableMemtables(lsm.frozenCount())
        .stalls(lsm.stalls())
        .writes(counters)
        .recovery(recovery)
        .liveSnapshots(snapshots.count())
        .background(background)
        .tables(tableStats)
        .backgroundError(stop == null ? null : errors.refusal(stop).getMessage())
        .build();
  }
}
