package io.kevo.engine.internal;

import io.kevo.engine.KevoException;
import io.kevo.engine.internal.wal.WalRecovery;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes, at open, the operations WAL recovery replayed into the memtable.
 *
 * <p>Why: WAL segments are deleted only once a flush has put their operations in SSTables, and
 * every open starts a new segment. Without this flush, a node restarted again and again before its
 * memtable fills (a kill loop, rolling restarts with little traffic in between) keeps every segment
 * written since its last flush and replays all of them at each open, one more per restart. With it,
 * an open replays only what the previous run wrote after its own open, and the replayed segments
 * are deleted as after any flush: those no retention hold still needs (a replica's position on a
 * primary, a checkpoint's, or the opening hold of a primary or replica, which its owner releases
 * once it knows what replication needs).
 *
 * <p>When: whenever recovery replayed at least one operation, as LevelDB and RocksDB do by default.
 * A threshold (say, more than one segment) would spare a small L0 table on some restarts, but an
 * open would then replay up to two runs' worth of log instead of one, and the rule would be harder
 * to reason about; small L0 tables are merged by compaction like any others. The flush waits: once
 * open returns, the replayed segments are gone (unless held), so even a node killed right after it
 * opened does not replay them again.
 *
 * <p>Best effort: a failed flush (a full disk, say) does not fail the open, which needs no flush to
 * be correct; it is logged, the segments stay, and the background failure it leaves refuses later
 * writes with its cause, as after any failed flush.
 */
final class ReplayFlush {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayFlush.class);

  private ReplayFlush() {}

  /**
   * Runs {@code flush} (the opened database's, which waits until the memtable is in SSTables) if
   * {@code recovered} replayed anything. On the opening thread, before the database is handed out.
   */
  static void afterOpen(Runnable flush, WalRecovery.Result recovered, Path dir) {
    if (recovered.operations() == 0) {
      return;
    }
    long start = System.nanoTime();
    try {
      flush.run();
    } catch (KevoException e) {
      LOG.warn(
          "{}: could not flush the {} operations replayed from the WAL; the log keeps them until"
              + " a later flush",
          dir,
          recovered.operations(),
          e);
      return;
    }
    LOG.info(
        "{}: flushed the {} operations replayed from the WAL in {} ms",
        dir,
        recovered.operations(),
        (System.nanoTime() - start) / 1_000_000);
  }
}
