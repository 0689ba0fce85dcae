package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.Options;
import io.kevo.engine.internal.WriteStop.Origin;
import io.kevo.engine.internal.compaction.Background;
import io.kevo.engine.internal.memtable.MemTable;
import io.kevo.engine.internal.version.VersionSet;
import io.kevo.engine.internal.wal.Wal;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memtables and the read view: the mutable memtable (written only by the write leader), the
 * frozen ones waiting for flush (oldest first), and the {@link ReadView} readers take.
 *
 * <p>Write stalls, in the spirit of RocksDB: when {@code maxImmutableMemtables} frozen memtables
 * already wait, a full memtable cannot be frozen and the leader (so every writer behind it) waits
 * for a flush; when L0 holds {@code l0StopTrigger} files, writers wait for compaction; from {@code
 * l0SlowdownTrigger} files each write group is delayed by a millisecond, so the background can
 * catch up before writers have to stop. Writes never fail for being too fast, and memory stays
 * bounded. A writer waiting for the background gives up, refused, when the background fails (see
 * {@link ErrorRecovery}).
 *
 * <p>Thread-safety: {@link #maybeSwitch} and {@link #active()} inserts belong to the write leader;
 * the frozen list and view are guarded by {@code this}; the background thread calls the {@link
 * Background.Host} methods.
 */
final class LsmState implements Background.Host {
  private static final Logger LOG = LoggerFactory.getLogger(LsmState.class);
  private static final long SLOWDOWN_NANOS = 1_000_000;

  private final Options options;
  private final VersionSet versions;
  private final Wal wal;
  private final Snapshots snapshots;
  private final ErrorRecovery errors;
  private final ArrayDeque<ReadView.Frozen> frozen = new ArrayDeque<>();
  private final WriteStalls stalls = new WriteStalls();
  private Background background;

  private volatile MemTable active;
  private long activeMaxSequence;
  private volatile ReadView view;
  private volatile boolean switchRequested;
  private volatile boolean closing;
  private volatile long flushedSequence;
  private volatile java.util.function.Supplier<KevoException> closedError =
      () -> new KevoException(ErrorCode.CLOSED, "the database is closed");

  LsmState(
      Options options,
      VersionSet versions,
      Wal wal,
      Snapshots snapshots,
      MemTable recovered,
      long lastSequence,
      ErrorRecovery errors) {
    this.options = options;
    this.versions = versions;
    this.wal = wal;
    this.snapshots = snapshots;
    this.errors = errors;
    this.active = recovered;
    this.activeMaxSequence = lastSequence;
    this.flushedSequence = versions.persistedSequence();
    this.view = new ReadView(recovered, List.of(), versions.acquire());
  }

  void start(Background background) {
    this.background = background;
    background.schedule();
  }

  MemTable active() {
    return active;
  }

  /** Leader only: the last sequence inserted into the active memtable. */
  void inserted(long lastSequence) {
    activeMaxSequence = lastSequence;
  }

  /** A current view with a reference taken; release with {@link ReadView#unref()}. */
  ReadView acquireView() {
    while (true) {
      ReadView v = view;
      if (v.tryRef()) {
        return v;
      }
      if (closing && v == view) {
        // Released at close: there will be no other view (spinning here would never end).
        throw closedError.get();
      }
    }
  }

  /** What {@link #acquireView()} throws once the database is closed. */
  void onClosed(java.util.function.Supplier<KevoException> error) {
    this.closedError = error;
  }

  ReadView peekView() {
    return view;
  }

  /** How often and how long writers were held back. */
  WriteStalls stalls() {
    return stalls;
  }

  int frozenCount() {
    synchronized (this) {
      return frozen.size();
    }
  }

  /** Asks the next write leader to freeze the active memtable even if it is not full. */
  void requestSwitch() {
    switchRequested = true;
  }

  /**
   * Leader only, before each group: freeze a full (or requested) memtable, and apply the L0
   * slowdown and stop rules.
   */
  void maybeSwitch() throws InterruptedException {
    MemTable m = active;
    if ((switchRequested || m.approximateBytes() >= options.memtableSize()) && m.entryCount() > 0) {
      switchRequested = false;
      synchronized (this) {
        if (frozen.size() >= options.maxImmutableMemtables()) {
          long started = System.nanoTime();
          while (frozen.size() >= options.maxImmutableMemtables()
              && !backgroundFailed()
              && !closing) {
            wait(100);
          }
          stalls.stopped(System.nanoTime() - started);
        }
        checkFailure();
        frozen.addLast(new ReadView.Frozen(m, activeMaxSequence));
        active = new MemTable(options.memtableSize());
        installView();
      }
      background.schedule();
    } else if (m.entryCount() == 0) {
      switchRequested = false;
    }
    int l0 = versions.peek().fileCount(0);
    if (l0 >= options.l0StopTrigger()) {
      long started = System.nanoTime();
      synchronized (this) {
        while (versions.peek().fileCount(0) >= options.l0StopTrigger()
            && !backgroundFailed()
            && !closing) {
          background.schedule();
          wait(100);
        }
      }
      stalls.stopped(System.nanoTime() - started);
      checkFailure();
    } else if (l0 >= options.l0SlowdownTrigger()) {
      long started = System.nanoTime();
      LockSupport.parkNanos(SLOWDOWN_NANOS);
      stalls.slowedDown(System.nanoTime() - started);
    }
  }

  private boolean backgroundFailed() {
    return errors.has(Origin.BACKGROUND);
  }

  private void checkFailure() {
    if (backgroundFailed()) {
      errors.checkWritable();
    }
  }

  /** Waits until every operation at or below {@code sequence} is in SSTables. */
  void awaitPersisted(long sequence) throws InterruptedException {
    synchronized (this) {
      while (flushedSequence < sequence && !backgroundFailed() && !closing) {
        background.schedule();
        wait(100);
      }
    }
    checkFailure();
  }

  private void installView() {
    List<ReadView.Frozen> newestFirst = new ArrayList<>(frozen.size());
    Iterator<ReadView.Frozen> it = frozen.descendingIterator();
    while (it.hasNext()) {
      newestFirst.add(it.next());
    }
    ReadView old = view;
    view = new ReadView(active, newestFirst, versions.acquire());
    old.unref();
  }

  // ---- Background.Host ----

  @Override
  public Background.FlushInput oldestFrozen() {
    synchronized (this) {
      ReadView.Frozen f = frozen.peekFirst();
      return f == null ? null : new Background.FlushInput(f.table().newIterator(), f.maxSequence());
    }
  }

  @Override
  public void flushed() {
    synchronized (this) {
      frozen.removeFirst();
      installView();
    }
    long persisted = versions.persistedSequence();
    try {
      wal.deleteObsoleteSegments(persisted);
    } catch (IOException e) {
      LOG.warn("could not delete WAL segments up to sequence {}", persisted, e);
    }
    synchronized (this) {
      flushedSequence = persisted;
      notifyAll();
    }
  }

  @Override
  public synchronized void versionChanged() {
    installView();
    notifyAll();
  }

  @Override
  public long oldestSnapshot() {
    return snapshots.oldest();
  }

  @Override
  public synchronized void failed(Throwable cause) {
    errors.failed(Origin.BACKGROUND, cause);
    notifyAll();
  }

  @Override
  public void drained() {
    errors.succeeded(Origin.BACKGROUND);
  }

  /** Stops waits (writers stalled on flush or compaction give up) before the background stops. */
  synchronized void closing() {
    closing = true;
    notifyAll();
  }

  /** Releases the current view. Once, at close. */
  synchronized void release() {
    view.unref();
  }
}
