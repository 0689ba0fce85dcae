package io.kevo.engine.internal.compaction;

import io.kevo.engine.KeyRange;
import io.kevo.engine.Options;
import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.sstable.TableOptions;
import io.kevo.engine.internal.version.TableFile;
import io.kevo.engine.internal.version.Version;
import io.kevo.engine.internal.version.VersionEdit;
import io.kevo.engine.internal.version.VersionSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background worker: flushes frozen memtables (first, since writers may be waiting for
 * them), then runs manual compactions, then whatever compaction the policy picks, until nothing is
 * left to do. One job at a time, so the file set has a single writer besides the manifest lock.
 *
 * <p>Failure (any {@link Throwable}, an {@link OutOfMemoryError} too) stops all background work and
 * is handed to the host, which refuses writes with it. Work starts again only when the host calls
 * {@link #resume()} (its error recovery does, after a full disk; other failures stay until the
 * database is reopened). Running a failed job again is safe: a flush or compaction changes the
 * database only by its final manifest edit, the failed one deleted what it wrote (see {@link
 * Jobs}), and the frozen memtable or compaction inputs are still there. Each pass that ends with
 * nothing left to do and no failure is reported to {@link Host#drained()}. Stopped by a flag and an
 * orderly executor shutdown — never by interrupting a thread that may be writing files.
 */
public final class Background {
  private static final Logger LOG = LoggerFactory.getLogger(Background.class);

  /** What the worker needs from the database. */
  public interface Host {
    /** The oldest frozen memtable's iterator and last sequence, or null if none waits. */
    FlushInput oldestFrozen();

    /** The oldest frozen memtable is now in L0 (the edit is durable): stop reading it. */
    void flushed();

    /** The file set changed: readers should see the new version. */
    void versionChanged();

    long oldestSnapshot();

    void failed(Throwable cause);

    /** A pass ended with nothing left to do, without failing. */
    void drained();
  }

  /** A frozen memtable to flush. */
  public record FlushInput(InternalIterator entries, long maxSequence) {}

  /** A manual job: compact {@code [from, to]}, or with {@code discard}, drop tables outside. */
  private record Manual(byte[] from, byte[] to, boolean discard, CompletableFuture<Void> done) {}

  private final VersionSet versions;
  private final Host host;
  private final TableOptions tableOptions;
  private final long targetFileSize;
  private final CompactionPicker picker;
  private final ExecutorService executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ConcurrentLinkedQueue<Manual> manual = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;
  private volatile KeyRange retained = KeyRange.ALL;
  private Manual running;
  private volatile Throwable failure;
  private volatile boolean resumed; // since resume(), until a pass ends without failing

  private final LongAdder flushes = new LongAdder();
  private final LongAdder compactions = new LongAdder();
  private final LongAdder bytesFlushed = new LongAdder();
  private final LongAdder compactionBytesRead = new LongAdder();
  private final LongAdder compactionBytesWritten = new LongAdder();

  public Background(
      String name, VersionSet versions, Host host, TableOptions tableOptions, Options options) {
    this.versions = versions;
    this.host = host;
    this.tableOptions = tableOptions;
    this.targetFileSize = options.targetFileSize();
    this.picker =
        new CompactionPicker(
            options.l0CompactionTrigger(), options.level1MaxBytes(), options.levelSizeRatio());
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-background-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Makes sure the worker will look for work soon. Cheap; call after anything that adds some. */
  public void schedule() {
    if (!stopped && failure == null && scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::work);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // stop() ran concurrently: there is nothing left to schedule work for
        scheduled.set(false);
      }
    }
  }

  /**
   * From the next job on, flushes and compactions drop every key outside {@code range} (see {@link
   * Jobs}). A job already running finishes with the range it started with.
   */
  public void retain(KeyRange range) {
    retained = range;
  }

  /** The range set by {@link #retain} ({@link KeyRange#ALL} until then). */
  public KeyRange retained() {
    return retained;
  }

  /** Compacts every level's files overlapping {@code [from, to]} (null = open) down the tree. */
  public CompletableFuture<Void> compactRange(byte[] from, byte[] to) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Throwable f = failure;
    if (f != null) {
      done.completeExceptionally(f);
      return done;
    }
    manual.add(new Manual(from, to, false, done));
    schedule();
    return done;
  }

  /**
   * Removes from the tree, in one edit and without reading them, the tables whose keys all lie
   * outside the range set by {@link #retain} (what a split moved away); tables astride its bounds
   * stay for a compaction of those bounds to rewrite.
   */
  public CompletableFuture<Void> discardOutside() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Throwable f = failure;
    if (f != null) {
      done.completeExceptionally(f);
      return done;
    }
    manual.add(new Manual(null, null, true, done));
    schedule();
    return done;
  }

  private void work() {
    scheduled.set(false);
    try {
      while (!stopped && failure == null) {
        FlushInput in = host.oldestFrozen();
        if (in != null) {
          runFlush(in);
          continue;
        }
        Manual m = manual.poll();
        if (m != null) {
          runManual(m);
          continue;
        }
        if (!runPicked()) {
          break;
        }
      }
      if (!stopped && failure == null) {
        resumed = false;
        host.drained();
      }
    } catch (Jobs.Cancelled c) {
      LOG.debug("compaction abandoned: closing");
      Manual m = running;
      if (m != null) {
        m.done()
            .completeExceptionally(
                new io.kevo.engine.KevoException(
                    io.kevo.engine.ErrorCode.CLOSED, "the database closed during compaction"));
      }
    } catch (Throwable t) {
      // Record the failure before anyone waiting on a manual compaction learns of it, so that a
      // caller who sees compactRange fail also sees writes refused. The host hears first, before
      // this logs: after an OutOfMemoryError a log line may fail too, and the host must still
      // learn of it (it hands such errors to the application, which may end the process).
      failure = t;
      host.failed(t);
      if (resumed) {
        // The host's recovery retries while the cause lasts (a full disk): one stack trace is
        // enough, the host logs the state.
        LOG.debug("background flush/compaction failed again: {}", t.toString());
      } else {
        LOG.error("background flush/compaction failed; writes are refused", t);
      }
      Manual m = running;
      if (m != null) {
        m.done().completeExceptionally(t);
      }
      while ((m = manual.poll()) != null) {
        m.done().completeExceptionally(t);
      }
    } finally {
      running = null;
    }
  }

  private void runFlush(FlushInput in) throws Exception {
    Jobs.Outcome o =
        Jobs.flush(
            in.entries(),
            in.maxSequence(),
            host.oldestSnapshot(),
            retained,
            versions,
            tableOptions);
    flushes.increment();
    bytesFlushed.add(o.bytesWritten());
    LOG.debug("flushed memtable up to sequence {} into {}", in.maxSequence(), o.files());
    host.flushed();
  }

  private boolean runPicked() throws Exception {
    Version v = versions.acquire();
    try {
      Compaction c = picker.pick(v);
      if (c == null) {
        return false;
      }
      run(c, v);
      return true;
    } finally {
      v.unref();
    }
  }

  private void runManual(Manual m) throws Exception {
    running = m;
    if (m.discard()) {
      discardTablesOutside();
      running = null;
      m.done().complete(null);
      return;
    }
    for (int level = 0; level < Version.MAX_LEVELS - 1 && !stopped; level++) {
      Version v = versions.acquire();
      try {
        Compaction c = picker.forRange(v, level, m.from(), m.to());
        if (c != null) {
          run(c, v);
        }
      } finally {
        v.unref();
      }
    }
    running = null;
    m.done().complete(null);
  }

  private void discardTablesOutside() throws java.io.IOException {
    KeyRange keep = retained;
    Version v = versions.acquire();
    try {
      VersionEdit edit = new VersionEdit();
      int tables = 0;
      long bytes = 0;
      for (int level = 0; level < Version.MAX_LEVELS; level++) {
        for (TableFile f : v.files(level)) {
          if (!keep.overlaps(f.meta().smallestKey(), f.meta().largestKey())) {
            edit.delete(level, f.number());
            tables++;
            bytes += f.meta().size();
          }
        }
      }
      if (tables > 0) {
        versions.logAndApply(edit);
        host.versionChanged();
        LOG.info("dropped {} tables ({} bytes) holding only keys outside {}", tables, bytes, keep);
      }
    } finally {
      v.unref();
    }
  }

  private void run(Compaction c, Version v) throws Exception {
    long t0 = System.nanoTime();
    Jobs.Outcome o =
        Jobs.compact(
            c,
            v,
            host.oldestSnapshot(),
            retained,
            versions,
            tableOptions,
            targetFileSize,
            () -> stopped);
    compactions.increment();
    compactionBytesRead.add(o.bytesRead());
    compactionBytesWritten.add(o.bytesWritten());
    LOG.debug(
        "compaction ({}) L{} {} + L{} {} -> {} in {} ms, {} versions dropped",
        c.reason(),
        c.level(),
        c.inputs(),
        c.outputLevel(),
        c.nextInputs(),
        o.files(),
        (System.nanoTime() - t0) / 1_000_000,
        o.dropped());
    host.versionChanged();
  }

  public Throwable failure() {
    return failure;
  }

  /**
   * After a failure: forgets it and runs the pending work again (the failed job first, since it is
   * still pending). Its outcome goes to the host: {@link Host#failed} or {@link Host#drained}.
   *
   * @return false if there was no failure to resume from (or the worker is stopped)
   */
  public boolean resume() {
    if (failure == null || stopped) {
      return false;
    }
    resumed = true;
    failure = null;
    schedule();
    return true;
  }

  public long flushes() {
    return flushes.sum();
  }

  public long compactions() {
    return compactions.sum();
  }

  public long bytesFlushed() {
    return bytesFlushed.sum();
  }

  public long compactionBytesRead() {
    return compactionBytesRead.sum();
  }

  public long compactionBytesWritten() {
    return compactionBytesWritten.sum();
  }

  /** Stops after the job in progress; waits for it (bounded). Idempotent. */
  public void stop() {
    stopped = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.MINUTES)) {
        LOG.warn("background work did not stop within 10 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Manual m;
    while ((m = manual.poll()) != null) {
      m.done().completeExceptionally(new IllegalStateException("database closed"));
    }
  }
}
