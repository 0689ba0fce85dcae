package io.kevo.replication.primary;

import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.StatusMapping;
import io.kevo.replication.SurfacingScheduledExecutor;
import io.kevo.replication.snapshot.SnapshotTransfers;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's threads and its periodic work. {@link PrimaryOptions#senderThreads()} sender threads
 * ({@code kevo-repl-primary-N}) run the sessions' sends and lingers, the heartbeats and a
 * maintenance tick (stalled sessions, a safety-net wake-up of every session, stalled snapshot
 * transfers, and about once a second the retention limits and parked log cursors); one more thread
 * ({@code kevo-repl-positions}) writes the coalesced positions file, whose fsync (tens of
 * milliseconds on a busy disk, seconds at worst) must not hold up the sends of a sender thread.
 * They are stopped by {@link #shutdown}, never interrupted (they read and write files).
 *
 * <p>Thread-safe. The maintenance tick runs on one sender thread at a time (a fixed-rate task).
 */
final class PrimaryScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryScheduler.class);
  private static final long LIMITS_EVERY_MS = 1000;

  private final PrimaryOptions options;
  private final ScheduledThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor positionsWriter;
  private final Sessions sessions;
  private final Retention retention;
  private final SnapshotTransfers snapshots;
  private final EngineWalProvider provider;
  private final PrimaryCounters counters;
  private long lastLimitsCheck; // maintenance tick only

  /** Creates the threads (idle until {@link #start}) for the work on these parts of a primary. */
  PrimaryScheduler(
      PrimaryOptions options,
      Sessions sessions,
      Retention retention,
      SnapshotTransfers snapshots,
      EngineWalProvider provider,
      PrimaryCounters counters) {
    this.options = options;
    this.sessions = sessions;
    this.retention = retention;
    this.snapshots = snapshots;
    this.provider = provider;
    this.counters = counters;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "kevo-repl-primary-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = new SurfacingScheduledExecutor(options.senderThreads(), tf);
    this.executor.setRemoveOnCancelPolicy(true);
    this.positionsWriter =
        new SurfacingScheduledExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "kevo-repl-positions");
              t.setDaemon(true);
              return t;
            });
  }

  /** The sender threads. */
  ScheduledExecutorService sender() {
    return executor;
  }

  /** Starts the heartbeats, the maintenance tick and the positions writer. */
  void start() {
    long hb = options.heartbeatInterval().toMillis();
    executor.scheduleAtFixedRate(this::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
    long tick =
        Math.max(
            10,
            Math.min(
                options.positionsFlushInterval().toMillis(),
                options.sessionTimeout().toMillis() / 5));
    executor.scheduleAtFixedRate(this::maintain, tick, tick, TimeUnit.MILLISECONDS);
    positionsWriter.scheduleAtFixedRate(this::writePositions, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Stops the threads (after their current task) and waits at most {@code waitMillis} each. */
  void shutdown(long waitMillis) {
    // shutdown, not shutdownNow: a sender may be reading a WAL segment, the positions writer
    // writing its file.
    executor.shutdown();
    positionsWriter.shutdown();
    try {
      if (!executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
        LOG.warn("replication sender threads did not stop within {} ms", waitMillis);
      }
      if (!positionsWriter.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
        LOG.warn("the replica positions writer did not stop within {} ms", waitMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the threads without waiting (an open that failed). */
  void abandon() {
    executor.shutdown();
    positionsWriter.shutdown();
  }

  private void heartbeat() {
    try {
      sessions.broadcastBatch(WALStreamResponse.getDefaultInstance());
    } catch (RuntimeException e) {
      LOG.error("heartbeat failed", e);
    }
  }

  private void maintain() {
    try {
      long now = options.clock().millis();
      long timeout = options.sessionTimeout().toMillis();
      for (PrimarySession s : sessions.all()) {
        if (s.stalled(now, timeout)) {
          counters.sessionsTimedOut.increment();
          LOG.warn(
              "session {}: replica '{}' neither read nor acknowledged for {} ms; closing it",
              s.id(),
              s.replica().key,
              timeout);
          s.close(
              StatusMapping.toStatus(
                  new ReplicationException(
                      ReplicationException.Reason.STALLED,
                      "the replica neither read the stream nor acknowledged for "
                          + timeout
                          + " ms")));
        } else {
          s.schedule(); // a safety net: no wake-up can be lost for longer than a tick
        }
      }
      snapshots.expireStalled(timeout);
      if (now - lastLimitsCheck >= LIMITS_EVERY_MS) {
        lastLimitsCheck = now;
        retention.enforceLimits();
        provider.expireParked();
      }
    } catch (RuntimeException e) {
      LOG.error("replication maintenance failed", e);
    }
  }

  /** On the positions writer: the coalesced write of acknowledged positions, when due. */
  private void writePositions() {
    try {
      retention.flushIfDue();
    } catch (RuntimeException e) {
      LOG.error("writing replica positions failed", e);
    }
  }
}
