package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Whether a {@link DbCore} is open, and the lock that lets close wait for the writes and syncs in
 * progress: they hold it shared ({@link #enter()}), close holds it exclusively ({@link
 * #closeOnce(Runnable)}).
 *
 * <p>Thread-safe: any thread may check or enter; the closed flag is set once, by the first close,
 * and never cleared. After {@link #markUnavailable(String)} calls fail with {@link
 * ErrorCode#UNAVAILABLE} instead of {@link ErrorCode#CLOSED}.
 */
final class Lifecycle {
  private final Path dir;
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private volatile String unavailableReason;

  Lifecycle(Path dir) {
    this.dir = dir;
  }

  /** Throws what a call on a closed database gets, if it is closed. */
  void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  /** The error for a call on the closed database: closed, or unavailable with its reason. */
  KevoException closedException() {
    String why = unavailableReason;
    return why != null
        ? new KevoException(ErrorCode.UNAVAILABLE, "database " + dir + " is unavailable: " + why)
        : new KevoException(ErrorCode.CLOSED, "database " + dir + " is closed");
  }

  /** Later calls fail with {@link ErrorCode#UNAVAILABLE} and {@code reason}. */
  void markUnavailable(String reason) {
    unavailableReason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Holds off close until the returned lock is unlocked; callers check {@link #checkOpen()} after
   * entering. Shared: writes and syncs enter together.
   */
  ReentrantReadWriteLock.ReadLock enter() {
    ReentrantReadWriteLock.ReadLock rl = closeLock.readLock();
    rl.lock();
    return rl;
  }

  /**
   * Runs {@code body} once, the first time it is called, after the calls that entered have left and
   * with no other call let in; later calls return at once.
   */
  void closeOnce(Runnable body) {
    ReentrantReadWriteLock.WriteLock wl = closeLock.writeLock();
    wl.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      body.run();
    } finally {
      wl.unlock();
    }
  }
}
