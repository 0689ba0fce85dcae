package io.kevo.engine.internal;

import io.kevo.engine.DbStats;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.OpType;
import io.kevo.engine.Options;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.SyncMode;
import io.kevo.engine.WalAccess;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import io.kevo.engine.internal.memtable.MemTable;
import io.kevo.engine.internal.wal.PendingWrite;
import io.kevo.engine.internal.wal.Segment;
import io.kevo.engine.internal.wal.Wal;
import io.kevo.engine.internal.wal.WalRecovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link io.kevo.engine.KevoDB}: owns the directory lock, the WAL, the memtable
 * and the group-commit queue.
 *
 * <p>Write path: validate → queue → (leader) WAL append, fsync per sync mode → memtable insert →
 * publish the group's last sequence as visible → wake the group. Reads use the published sequence,
 * so a batch becomes visible all at once and never before its WAL record is written.
 *
 * <p>Failure: if a WAL write or fsync fails, the outcome of that group is unknown (its bytes may be
 * in the OS), its callers get {@link ErrorCode#IO_ERROR}, and the engine refuses every later write
 * with {@link ErrorCode#WRITES_REFUSED} until reopened: retrying an fsync after a failure can
 * report success for data the kernel already dropped.
 */
public final class DbCore {
  private static final Logger LOG = LoggerFactory.getLogger(DbCore.class);

  private final Path dir;
  private final Options options;
  private final DirectoryLock lock;
  private final MemTable memtable;
  private final Wal wal;
  private final WriteQueue queue;
  private final WalRecovery.Result recovery;
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private final ScheduledExecutorService syncer;

  private volatile long visibleSequence;
  private volatile boolean closed;
  private volatile Throwable writeFailure;

  private final LongAdder puts = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder gets = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();

  private DbCore(
      Path dir,
      Options options,
      DirectoryLock lock,
      MemTable memtable,
      Wal wal,
      WalRecovery.Result recovery) {
    this.dir = dir;
    this.options = options;
    this.lock = lock;
    this.memtable = memtable;
    this.wal = wal;
    this.recovery = recovery;
    this.visibleSequence = recovery.lastSequence();
    this.queue = new WriteQueue(this::commitGroup);
    this.syncer = options.syncMode() == SyncMode.BATCH ? startSyncer() : null;
  }

  /** Locks {@code dir}, replays its WAL into a memtable and opens the WAL for appending. */
  public static DbCore open(Path dir, Options options) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot create " + dir + ": " + e, e);
    }
    DirectoryLock lock = DirectoryLock.acquire(dir);
    try {
      Path walDir = options.walDirectory() != null ? options.walDirectory() : dir.resolve("wal");
      Files.createDirectories(walDir);
      MemTable memtable = new MemTable();
      WalRecovery.Result result =
          WalRecovery.recover(
              walDir,
              options.walRecoveryMode(),
              rec -> {
                for (WalOperation op : rec.operations()) {
                  memtable.add(
                      op.key(), op.sequence(), op.type() == OpType.PUT ? op.value() : null);
                }
              });
      Wal wal = Wal.open(walDir, options, result);
      LOG.info(
          "opened {}: {} WAL records ({} operations) replayed from {} segments in {} ms, last"
              + " sequence {}{}",
          dir,
          result.records(),
          result.operations(),
          result.segments().size(),
          result.millis(),
          result.lastSequence(),
          result.tornBytes() > 0
              ? ", torn tail of " + result.tornBytes() + " bytes truncated"
              : "");
      return new DbCore(dir, options, lock, memtable, wal, result);
    } catch (IOException e) {
      lock.close();
      throw new KevoException(ErrorCode.IO_ERROR, "cannot open " + dir + ": " + e, e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private ScheduledExecutorService startSyncer() {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-wal-syncer");
              t.setDaemon(true);
              return t;
            });
    long intervalNanos = options.batchSyncInterval().toNanos();
    long period = Math.max(intervalNanos / 4, 50_000);
    s.scheduleWithFixedDelay(
        () -> {
          long since = wal.unsyncedSinceNanos();
          if (since != 0 && System.nanoTime() - since >= intervalNanos) {
            try {
              submit(PendingWrite.syncOnly());
            } catch (KevoException e) {
              if (e.code() != ErrorCode.CLOSED && e.code() != ErrorCode.WRITES_REFUSED) {
                LOG.warn("background WAL sync failed", e);
              }
            }
          }
        },
        period,
        period,
        TimeUnit.NANOSECONDS);
    return s;
  }

  // ---- writes ----

  public long put(byte[] key, byte[] value, WriteOptions wo) {
    checkKey(key);
    checkValue(value);
    PendingWrite w = PendingWrite.single(key, value, wo.sync());
    submit(w);
    puts.increment();
    bytesWritten.add(key.length + value.length);
    return w.firstSequence();
  }

  public long delete(byte[] key, WriteOptions wo) {
    checkKey(key);
    PendingWrite w = PendingWrite.single(key, null, wo.sync());
    submit(w);
    deletes.increment();
    bytesWritten.add(key.length);
    return w.firstSequence();
  }

  public long write(WriteBatch batch, WriteOptions wo) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      checkWritable();
      return visibleSequence;
    }
    List<WriteBatch.Op> ops = List.copyOf(batch.ops());
    long p = 0;
    long d = 0;
    for (WriteBatch.Op op : ops) {
      checkKey(op.key());
      if (op.type() == OpType.PUT) {
        checkValue(op.value());
        p++;
      } else {
        d++;
      }
    }
    PendingWrite w = PendingWrite.batch(ops, wo.sync());
    submit(w);
    batches.increment();
    puts.add(p);
    deletes.add(d);
    bytesWritten.add(batch.byteSize());
    return w.lastSequence();
  }

  private void submit(PendingWrite w) {
    ReentrantReadWriteLock.ReadLock rl = closeLock.readLock();
    rl.lock();
    try {
      checkWritable();
      queue.submit(w);
    } catch (KevoException e) {
      throw e;
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "WAL write failed: " + e, e);
    } catch (Exception e) {
      throw new KevoException(ErrorCode.IO_ERROR, "write failed: " + e, e);
    } finally {
      rl.unlock();
    }
  }

  /** Leader only: one WAL append for the group, then the memtable, then visibility. */
  private void commitGroup(List<PendingWrite> group, boolean sync) throws IOException {
    Throwable failure = writeFailure;
    if (failure != null) {
      throw refused(failure);
    }
    try {
      wal.append(group, sync);
    } catch (IOException | RuntimeException e) {
      writeFailure = e;
      LOG.error("WAL write failed; refusing further writes until reopened", e);
      throw e;
    }
    long last = visibleSequence;
    for (PendingWrite w : group) {
      w.forEachOperation((seq, k, v) -> memtable.add(k, seq, v));
      if (w.count() > 0) {
        last = w.lastSequence();
      }
    }
    visibleSequence = last;
  }

  private void checkWritable() {
    if (closed) {
      throw new KevoException(ErrorCode.CLOSED, "database " + dir + " is closed");
    }
    Throwable failure = writeFailure;
    if (failure != null) {
      throw refused(failure);
    }
  }

  private KevoException refused(Throwable failure) {
    return new KevoException(
        ErrorCode.WRITES_REFUSED,
        "database "
            + dir
            + " refuses writes after an earlier WAL failure ("
            + failure
            + "); reopen it to recover",
        failure);
  }

  private void checkKey(byte[] key) {
    if (key == null) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "key must not be null");
    }
    if (key.length == 0) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "key must not be empty");
    }
    if (key.length > options.maxKeySize()) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "key of " + key.length + " bytes exceeds the limit of " + options.maxKeySize());
    }
  }

  private void checkValue(byte[] value) {
    if (value == null) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "value must not be null (an empty array is a value)");
    }
    if (value.length > options.maxValueSize()) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "value of " + value.length + " bytes exceeds the limit of " + options.maxValueSize());
    }
  }

  // ---- reads ----

  public byte[] get(byte[] key) {
    checkOpen();
    checkKey(key);
    gets.increment();
    byte[][] out = new byte[1][];
    return memtable.get(key, visibleSequence, out) == MemTable.Lookup.FOUND ? out[0].clone() : null;
  }

  public KevoIterator scan(ScanOptions scan) {
    checkOpen();
    Objects.requireNonNull(scan, "scan");
    Iterator<KeyValue> it = memtable.scan(scan, visibleSequence);
    return new KevoIterator() {
      private boolean closedIt;

      @Override
      public boolean hasNext() {
        return !closedIt && it.hasNext();
      }

      @Override
      public KeyValue next() {
        if (closedIt) {
          throw new NoSuchElementException("iterator closed");
        }
        return it.next();
      }

      @Override
      public void close() {
        closedIt = true;
      }
    };
  }

  public long latestSequence() {
    return visibleSequence;
  }

  public WalAccess wal() {
    checkOpen();
    return wal;
  }

  /** The WAL itself, for engine-internal callers and tests. */
  public Wal walInternal() {
    return wal;
  }

  public Path directory() {
    return dir;
  }

  public Options options() {
    return options;
  }

  public DbStats stats() {
    List<Segment> segs = wal.segments();
    long walBytes = 0;
    for (Segment s : segs) {
      walBytes += s.size();
    }
    return new DbStats(
        visibleSequence,
        wal.durableSequence(),
        memtable.entryCount(),
        memtable.approximateBytes(),
        segs.size(),
        walBytes,
        puts.sum(),
        deletes.sum(),
        batches.sum(),
        gets.sum(),
        bytesWritten.sum(),
        wal.recordsWritten(),
        wal.groupCommits(),
        wal.syncs(),
        recovery.segments().size(),
        recovery.records(),
        recovery.operations(),
        recovery.tornBytes(),
        recovery.discardedBytes(),
        recovery.millis());
  }

  private void checkOpen() {
    if (closed) {
      throw new KevoException(ErrorCode.CLOSED, "database " + dir + " is closed");
    }
  }

  /** Waits for writes in progress, syncs and closes the log, releases the lock. Idempotent. */
  public void close() {
    ReentrantReadWriteLock.WriteLock wl = closeLock.writeLock();
    wl.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (syncer != null) {
        // shutdown, not shutdownNow: never interrupt a thread that may be in file I/O. A sync
        // task that runs after this finds the database closed and does nothing.
        syncer.shutdown();
      }
      try {
        wal.close(writeFailure == null);
      } catch (IOException e) {
        LOG.error("closing the WAL of {} failed", dir, e);
      }
      lock.close();
      LOG.info("closed {} at sequence {}", dir, visibleSequence);
    } finally {
      wl.unlock();
    }
  }
}
