package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.FatalErrorListener;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.WriteStop.Origin;
import io.kevo.engine.internal.io.DiskErrors;
import io.kevo.engine.internal.wal.WalAppendException;
import io.kevo.engine.internal.wal.WalSyncException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures that make the engine refuse writes, and the engine's way back from those it can undo
 * by itself, in the manner of RocksDB's automatic recovery from {@code ENOSPC}.
 *
 * <p>Which failures heal: a full disk ({@link DiskErrors#isNoSpace}) met while appending to the WAL
 * or by a flush or compaction. While one is recorded, writes are refused with {@link
 * ErrorCode#NO_SPACE} and a timer retries what failed, after {@link EngineEnv#firstRetry()} and
 * then with a doubling delay up to {@link EngineEnv#maxRetry()}: for the WAL, {@link
 * Retries#retryWal()} cuts off what the failed append may have left and checks that the disk has
 * room again; for the background, {@link Retries#retryBackground()} runs the failed job again. When
 * every recorded failure has been retried successfully, writes resume, without a reopen.
 *
 * <p>Which stay: anything else — a failed fsync of the WAL (never retried, see {@link
 * io.kevo.engine.internal.wal.Wal#sync()}), an I/O error that is not a full disk, corrupt data met
 * by a compaction, a bug — refuses writes with {@link ErrorCode#WRITES_REFUSED} until the database
 * is reopened: retrying those could hide lost data rather than recover it. A recovery attempt that
 * fails with such an error makes the stop permanent too.
 *
 * <p>A {@link VirtualMachineError} (out of memory, say), wherever the engine meets it, is one that
 * stays: the JVM's state, and so the engine's, cannot be trusted after it. It is first handed to
 * the application's {@link io.kevo.engine.FatalErrorListener} ({@link FatalErrors}), which in a
 * server ends the process; if that returns, writes are refused as for any other lasting failure.
 *
 * <p>States, derived from the recorded failures: WRITING (none) → REFUSING (only healable ones;
 * retried) → WRITING, and WRITING or REFUSING → STOPPED (a permanent one), which lasts until the
 * handle is closed. Each change is logged.
 *
 * <p>Thread-safety: thread-safe. Writers read the current stop without locking; changes are made
 * under this object's lock; retries run on one timer thread, outside the lock, and never while a
 * write is appended (writers are refused meanwhile).
 */
final class ErrorRecovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorRecovery.class);

  /** What a recovery attempt does; supplied by the engine. */
  interface Retries {
    /**
     * Undoes what a failed WAL append may have left in the log and checks that there is room to
     * append again.
     *
     * @throws IOException if it cannot yet (the disk is still full, say)
     */
    void retryWal() throws IOException;

    /**
     * Starts the failed background job again; its outcome comes back through {@link #failed} or
     * {@link #succeeded}.
     *
     * @return false if there was nothing to restart (the background is not failed)
     */
    boolean retryBackground();
  }

  private final Path dir;
  private final EngineEnv env;
  private final FatalErrors fatal;
  private final Backoff backoff;
  private final ScheduledThreadPoolExecutor timer;
  private final Map<Origin, WriteStop> stops = new EnumMap<>(Origin.class); // guarded by this
  private Retries retries; // set once by start()
  private boolean retryScheduled; // guarded by this
  private boolean backgroundRetrying; // guarded by this
  private boolean closed; // guarded by this

  /** The stop writers are refused with: a permanent one if any, else the oldest; null: writing. */
  private volatile WriteStop current;

  ErrorRecovery(Path dir, EngineEnv env) {
    this(dir, env, null);
  }

  /**
   * @param fatal who hears of a {@link VirtualMachineError} first, or null for no one
   */
  ErrorRecovery(Path dir, EngineEnv env, FatalErrorListener fatal) {
    this.dir = dir;
    this.env = env;
    this.fatal = new FatalErrors(fatal);
    this.backoff = new Backoff(env.firstRetry(), env.maxRetry());
    String name = dir.getFileName() == null ? "db" : dir.getFileName().toString();
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "kevo-recovery-" + name);
              t.setDaemon(true);
              return t;
            });
    // At close, a pending retry is dropped and a running one finishes (it may be in file I/O,
    // which an interrupt would break by closing the channel).
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Sets what attempts do. Once, before any failure can be reported. */
  void start(Retries retries) {
    this.retries = retries;
  }

  /**
   * Records that {@code origin} failed with {@code cause}; writes are refused from now on. A {@link
   * VirtualMachineError} goes to the fatal-error listener first, outside the lock and before this
   * needs memory for a log line.
   */
  void failed(Origin origin, Throwable cause) {
    fatal.report(cause);
    record(origin, cause);
  }

  /**
   * Wraps the write path's group commit: a {@link VirtualMachineError} thrown anywhere in it (the
   * WAL append, the memtable insert) is recorded as a lasting failure before it reaches the
   * writers, since part of the group may be in the log or the memtable and the rest not.
   */
  WriteQueue.GroupCommitter guard(WriteQueue.GroupCommitter committer) {
    return (group, sync) -> {
      try {
        committer.commit(group, sync);
      } catch (VirtualMachineError e) {
        failed(Origin.COMMIT, e);
        throw e;
      }
    };
  }

  private synchronized void record(Origin origin, Throwable cause) {
    WriteStop before = current;
    WriteStop old = stops.get(origin);
    boolean recoverable = origin != Origin.WAL_SYNC && DiskErrors.isNoSpace(cause);
    if (old != null && !old.recoverable()) {
      return; // permanent already: keep the first cause
    }
    Instant since =
        old != null ? old.since() : env.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    stops.put(origin, new WriteStop(origin, cause, since, recoverable));
    if (origin == Origin.BACKGROUND) {
      backgroundRetrying = false;
    }
    update();
    if (before == null) {
      LOG.error(
          "{}: refusing writes: {}{}",
          dir,
          current.reason(),
          current.recoverable()
              ? "; retrying until space is freed"
              : "; reopen the database to recover",
          cause);
    } else if (!recoverable && before.recoverable()) {
      LOG.error("{}: refusing writes until reopened: {}", dir, current.reason(), cause);
    } else {
      LOG.debug("{}: still refusing writes: {}", dir, stops.get(origin).reason());
    }
    scheduleRetry();
  }

  /** Records that what {@code origin} had failed now works. No-op if it had not failed. */
  synchronized void succeeded(Origin origin) {
    if (origin == Origin.BACKGROUND) {
      backgroundRetrying = false;
    }
    WriteStop removed = stops.get(origin);
    if (removed == null || !removed.recoverable()) {
      return;
    }
    stops.remove(origin);
    update();
    if (current == null) {
      backoff.reset();
      LOG.warn(
          "{}: writes resumed; they were refused for {} ms ({})",
          dir,
          Duration.between(removed.since(), env.clock().instant()).toMillis(),
          removed.reason());
    } else {
      LOG.info("{}: {} works again; still refusing writes: {}", dir, origin, current.reason());
    }
  }

  /** The stop writes are refused with now, or null if they are not. */
  WriteStop current() {
    return current;
  }

  /** Whether {@code origin} has a failure recorded. */
  synchronized boolean has(Origin origin) {
    return stops.containsKey(origin);
  }

  /** Throws the refusal if writes are refused now. */
  void checkWritable() {
    WriteStop s = current;
    if (s != null) {
      throw refusal(s);
    }
  }

  /** The refusal a write gets because of {@code s}. */
  KevoException refusal(WriteStop s) {
    return s.refusal(dir, env.clock().instant(), Duration.ofMillis(backoff.maxMillis()));
  }

  /**
   * Records a failure of a group's WAL append ({@code Wal.append}) and returns what the group's
   * writers get: {@link ErrorCode#OUTCOME_UNKNOWN} if any of it may have been written, the refusal
   * if nothing was (a new segment could not be started), the exception itself if the engine turned
   * the group down before writing (a {@link KevoException}).
   */
  KevoException appendFailed(Throwable failure) {
    if (failure instanceof KevoException k) {
      return k;
    }
    if (failure instanceof WalSyncException e) {
      failed(Origin.WAL_SYNC, e);
      return outcomeUnknown(Origin.WAL_SYNC, e);
    }
    if (failure instanceof WalAppendException e) {
      failed(Origin.WAL_APPEND, e.getCause());
      return outcomeUnknown(Origin.WAL_APPEND, e.getCause());
    }
    failed(Origin.WAL_APPEND, failure);
    if (failure instanceof IOException) {
      return refusal(current);
    }
    return outcomeUnknown(Origin.WAL_APPEND, failure);
  }

  /** What the writers of a group whose WAL append or fsync failed with {@code cause} get. */
  private KevoException outcomeUnknown(Origin origin, Throwable cause) {
    String what = origin == Origin.WAL_SYNC ? "syncing" : "appending";
    return new KevoException(
        ErrorCode.OUTCOME_UNKNOWN,
        "the outcome of this write is unknown: "
            + what
            + " it to the write-ahead log of "
            + dir
            + " failed ("
            + cause
            + "), so it may or may not be in the database, now or after a restart; read it"
            + " back, or redo it only if doing it twice is harmless. Writes are refused until "
            + (DiskErrors.isNoSpace(cause) && origin != Origin.WAL_SYNC
                ? "space is freed."
                : "the database is reopened."),
        cause);
  }

  private void update() {
    WriteStop pick = null;
    for (WriteStop s : stops.values()) {
      if (pick == null
          || (!s.recoverable() && pick.recoverable())
          || (s.recoverable() == pick.recoverable() && s.since().isBefore(pick.since()))) {
        pick = s;
      }
    }
    current = pick;
  }

  /** Under the lock: plans the next attempt if something healable is recorded and none is due. */
  private void scheduleRetry() {
    WriteStop s = current;
    if (closed || retryScheduled || s == null || !s.recoverable()) {
      return;
    }
    retryScheduled = true;
    timer.schedule(this::retry, backoff.nextMillis(), TimeUnit.MILLISECONDS);
  }

  /** One recovery attempt, on the timer thread. */
  private void retry() {
    boolean wal;
    boolean background;
    synchronized (this) {
      retryScheduled = false;
      WriteStop s = current;
      if (closed || s == null || !s.recoverable()) {
        return;
      }
      wal = stops.containsKey(Origin.WAL_APPEND);
      background = stops.containsKey(Origin.BACKGROUND) && !backgroundRetrying;
      backgroundRetrying |= background;
    }
    if (wal) {
      try {
        retries.retryWal();
        succeeded(Origin.WAL_APPEND);
      } catch (IOException | RuntimeException | VirtualMachineError e) {
        failed(Origin.WAL_APPEND, e);
      }
    }
    if (background && !retries.retryBackground()) {
      succeeded(Origin.BACKGROUND);
    }
    synchronized (this) {
      if (stops.containsKey(Origin.WAL_APPEND)) {
        scheduleRetry();
      }
    }
  }

  /** Stops retrying; waits (bounded) for an attempt in progress. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    timer.shutdown();
    try {
      if (!timer.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("{}: a recovery attempt did not finish within a minute", dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
