package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.engine.internal.WriteStop.Origin;
import io.kevo.engine.internal.wal.Wal;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the WAL outside the write path: on demand ({@link #syncNow()}, any thread), and with {@link
 * SyncMode#BATCH} on its own daemon thread, {@code kevo-wal-syncer}, once the oldest unsynced
 * append is {@link Options#batchSyncInterval()} old (checked every quarter of that interval, but at
 * most once every 50 µs).
 *
 * <p>Threading: the scheduled thread is owned by this class and only calls {@link #syncNow()}. A
 * sync never takes the write queue's leadership, so writes go on while the fsync runs ({@link
 * Wal#sync()}); syncs hold the {@link Lifecycle} shared, so close waits for one in progress. {@link
 * #close()} shuts the thread down without interrupting it (it may be in file I/O): a sync that runs
 * after close finds the database closed and does nothing.
 */
final class WalSyncer {
  private static final Logger LOG = LoggerFactory.getLogger(WalSyncer.class);

  private final Wal wal;
  private final Lifecycle lifecycle;
  private final ErrorRecovery errors;
  private final ScheduledExecutorService thread; // null unless BATCH

  WalSyncer(Options options, Wal wal, Lifecycle lifecycle, ErrorRecovery errors) {
    this.wal = wal;
    this.lifecycle = lifecycle;
    this.errors = errors;
    this.thread = options.syncMode() == SyncMode.BATCH ? start(options) : null;
  }

  private ScheduledExecutorService start(Options options) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-wal-syncer");
              t.setDaemon(true);
              return t;
            });
    long intervalNanos = options.batchSyncInterval().toNanos();
    long period = Math.max(intervalNanos / 4, 50_000);
    s.scheduleWithFixedDelay(() -> syncIfDue(intervalNanos), period, period, TimeUnit.NANOSECONDS);
    return s;
  }

  private void syncIfDue(long intervalNanos) {
    long since = wal.unsyncedSinceNanos();
    if (since != 0 && System.nanoTime() - since >= intervalNanos) {
      try {
        syncNow();
      } catch (KevoException e) {
        if (e.code() != ErrorCode.CLOSED && errors.current() == null) {
          LOG.warn("background WAL sync failed", e);
        }
      }
    }
  }

  /**
   * Forces the WAL written so far to stable storage and returns the durable sequence. Works while
   * writes are refused too (what was acknowledged still deserves to be durable). A failed fsync
   * refuses writes until the database is reopened.
   */
  long syncNow() {
    Lock entered = lifecycle.enter();
    try {
      lifecycle.checkOpen();
      wal.sync();
    } catch (IOException | RuntimeException e) {
      if (e instanceof KevoException k) {
        throw k;
      }
      errors.failed(Origin.WAL_SYNC, e);
      throw new KevoException(ErrorCode.IO_ERROR, "WAL sync failed: " + e, e);
    } catch (VirtualMachineError e) {
      errors.failed(Origin.WAL_SYNC, e);
      throw e;
    } finally {
      entered.unlock();
    }
    return wal.durableSequence();
  }

  /** Stops the scheduled thread after its current run, without interrupting it. Idempotent. */
  void close() {
    if (thread != null) {
      thread.shutdown();
    }
  }
}
