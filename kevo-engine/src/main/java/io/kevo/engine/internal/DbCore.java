package io.kevo.engine.internal;

import io.kevo.engine.DbStats;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoCursor;
import io.kevo.engine.KevoException;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.OpType;
import io.kevo.engine.Options;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.Snapshot;
import io.kevo.engine.SyncMode;
import io.kevo.engine.Transaction;
import io.kevo.engine.TransactionOptions;
import io.kevo.engine.WalAccess;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import io.kevo.engine.WriteRefusal;
import io.kevo.engine.internal.WriteStop.Origin;
import io.kevo.engine.internal.compaction.Background;
import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import io.kevo.engine.internal.iter.MergingIterator;
import io.kevo.engine.internal.iter.SequenceFilter;
import io.kevo.engine.internal.iter.SortedMapIterator;
import io.kevo.engine.internal.memtable.MemTable;
import io.kevo.engine.internal.sstable.BlockCache;
import io.kevo.engine.internal.sstable.TableOptions;
import io.kevo.engine.internal.sstable.TableStats;
import io.kevo.engine.internal.version.Version;
import io.kevo.engine.internal.version.VersionSet;
import io.kevo.engine.internal.wal.PendingWrite;
import io.kevo.engine.internal.wal.Segment;
import io.kevo.engine.internal.wal.Wal;
import io.kevo.engine.internal.wal.WalRecovery;
import io.kevo.engine.internal.wal.WalSyncException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link io.kevo.engine.KevoDB}: owns the directory lock, the WAL, the memtables
 * and file set ({@link LsmState}, {@link VersionSet}), the background worker and the group-commit
 * queue.
 *
 * <p>Write path: validate → queue → (leader) WAL append, fsync per sync mode → memtable insert →
 * publish the group's last sequence as visible → wake the group. Reads use the published sequence,
 * so a batch becomes visible all at once and never before its WAL record is written.
 *
 * <p>Failure: if a WAL append or fsync fails, the outcome of that group is unknown (some or all of
 * its bytes may be in the log), its callers get {@link ErrorCode#OUTCOME_UNKNOWN}, and later writes
 * are refused, without being attempted, while {@link ErrorRecovery} holds a failure: with {@link
 * ErrorCode#NO_SPACE} after a full disk, until it has recovered by itself; with {@link
 * ErrorCode#WRITES_REFUSED} after anything else, until reopened. A group whose append failed is
 * neither applied nor announced, and its sequence numbers are given to later writes only after the
 * WAL has cut its bytes off ({@link Wal#repair()}); a group whose fsync failed was written and
 * announced, so it is applied too, and the log stays as it is.
 */
public final class DbCore {
  private static final Logger LOG = LoggerFactory.getLogger(DbCore.class);

  private final Path dir;
  private final Options options;
  private final DirectoryLock lock;
  private final Wal wal;
  private final WriteQueue queue;
  private final WalRecovery.Result recovery;
  private final VersionSet versions;
  private final BlockCache cache;
  private final TableStats tableStats;
  private final Snapshots snapshots;
  private final ReadLimit readLimit = new ReadLimit();
  private final LsmState lsm;
  private final Background background;
  private final ErrorRecovery errors;
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private final ScheduledExecutorService syncer;

  private volatile long visibleSequence;
  private volatile boolean closed;
  private volatile String unavailableReason;

  private final LongAdder puts = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder gets = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final java.util.concurrent.atomic.AtomicLong transactionIds =
      new java.util.concurrent.atomic.AtomicLong();

  private DbCore(Path dir, Options options, DirectoryLock lock, Opened o, EngineEnv env) {
    this.dir = dir;
    this.options = options;
    this.lock = lock;
    this.wal = o.wal;
    this.recovery = o.recovery;
    this.versions = o.versions;
    this.cache = o.cache;
    this.tableStats = o.tableStats;
    this.visibleSequence = o.lastSequence;
    this.snapshots = new Snapshots(token -> readLimit.sequence(visibleSequence, token));
    this.errors = new ErrorRecovery(dir, env, options.fatalErrorListener());
    this.lsm = new LsmState(options, versions, wal, snapshots, o.memtable, o.lastSequence, errors);
    this.background =
        new Background(
            dir.getFileName() == null ? "db" : dir.getFileName().toString(),
            versions,
            lsm,
            tableOptions(options),
            options);
    this.queue = new WriteQueue(errors.guard(this::commitGroup));
    errors.start(new EngineRetries(wal, background, env));
    this.syncer = options.syncMode() == SyncMode.BATCH ? startSyncer() : null;
    lsm.onClosed(this::closedException);
    lsm.start(background);
  }

  private static TableOptions tableOptions(Options o) {
    return new TableOptions(o.blockSize(), 16, o.compression(), o.bloomBitsPerKey());
  }

  /** What recovery produced. */
  private record Opened(
      Wal wal,
      WalRecovery.Result recovery,
      VersionSet versions,
      BlockCache cache,
      TableStats tableStats,
      MemTable memtable,
      long lastSequence) {}

  /**
   * Locks {@code dir}, recovers the file set from the manifest, replays the WAL operations not yet
   * in SSTables into a memtable, opens the WAL for appending, and flushes what it replayed ({@link
   * ReplayFlush}).
   */
  public static DbCore open(Path dir, Options options) {
    return open(dir, options, EngineEnv.DEFAULT);
  }

  /** As {@link #open(Path, Options)}, in {@code env} (tests inject a failing file system). */
  public static DbCore open(Path dir, Options options, EngineEnv env) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot create " + dir + ": " + e, e);
    }
    DirectoryLock lock = DirectoryLock.acquire(dir);
    VersionSet versions = null;
    try {
      Path walDir = options.walDirectory() != null ? options.walDirectory() : dir.resolve("wal");
      Files.createDirectories(walDir);
      // A checkpoint staged for this directory is installed (sealed) or discarded (unfinished)
      // before anything is read: the database is the old one or the whole checkpoint.
      CheckpointInstaller.recover(dir, walDir);
      TableStats tableStats = new TableStats();
      BlockCache cache = new BlockCache(options.blockCacheSize());
      versions = VersionSet.open(dir, cache, tableStats, env.files());
      long persisted = versions.persistedSequence();
      MemTable memtable = new MemTable(options.memtableSize());
      long[] firstReplayed = {0};
      WalRecovery.Result result =
          WalRecovery.recover(
              walDir,
              options.walRecoveryMode(),
              persisted,
              rec -> {
                if (firstReplayed[0] == 0) {
                  firstReplayed[0] = rec.firstSequence();
                }
                for (WalOperation op : rec.operations()) {
                  if (op.sequence() > persisted) {
                    memtable.add(
                        op.key(), op.sequence(), op.type() == OpType.PUT ? op.value() : null);
                  }
                }
              });
      if (firstReplayed[0] > persisted + 1) {
        throw new KevoException(
            ErrorCode.CORRUPTION,
            "the WAL in "
                + walDir
                + " starts at sequence "
                + firstReplayed[0]
                + " but SSTables hold only up to "
                + persisted
                + ": operations "
                + (persisted + 1)
                + ".."
                + (firstReplayed[0] - 1)
                + " are missing");
      }
      Wal wal = Wal.open(walDir, options, result, persisted, env.files());
      if (options.holdWalAtOpen()) {
        wal.installOpeningHold();
      } else {
        wal.deleteObsoleteSegments(persisted);
      }
      long last = Math.max(result.lastSequence(), persisted);
      LOG.info(
          "opened {}: {} tables, persisted sequence {}, {} WAL records replayed from {} segments"
              + " in {} ms, last sequence {}{}",
          dir,
          versions.peek().totalFiles(),
          persisted,
          result.records(),
          result.segments().size(),
          result.millis(),
          last,
          result.tornBytes() > 0
              ? ", torn tail of " + result.tornBytes() + " bytes truncated"
              : "");
      DbCore core =
          new DbCore(
              dir,
              options,
              lock,
              new Opened(wal, result, versions, cache, tableStats, memtable, last),
              env);
      ReplayFlush.afterOpen(core::flush, result, dir);
      return core;
    } catch (IOException e) {
      closeQuietly(versions);
      lock.close();
      throw new KevoException(ErrorCode.IO_ERROR, "cannot open " + dir + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(versions);
      lock.close();
      throw e;
    }
  }

  private static void closeQuietly(VersionSet versions) {
    if (versions != null) {
      try {
        versions.close();
      } catch (IOException | RuntimeException ignored) {
        // already failing
      }
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
              syncWal();
            } catch (KevoException e) {
              if (e.code() != ErrorCode.CLOSED && errors.current() == null) {
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

  public long applyReplicated(WalRecord record, WriteOptions wo) {
    return applyReplicated(List.of(record), wo);
  }

  /**
   * Replication: logs and applies {@code records} (each one WAL record, numbered consecutively from
   * one to the next) in one group commit. If the first cannot land at the log's next sequence, none
   * is written.
   */
  public long applyReplicated(List<WalRecord> records, WriteOptions wo) {
    Objects.requireNonNull(records, "records");
    if (records.isEmpty()) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "no records to apply");
    }
    Object group = new Object();
    List<PendingWrite> writes = new ArrayList<>(records.size());
    long p = 0;
    long d = 0;
    long bytes = 0;
    long b = 0;
    long expected = records.get(0).firstSequence();
    for (WalRecord record : records) {
      List<WalOperation> ops = record.operations();
      List<WriteBatch.Op> batchOps = record.batch() ? new ArrayList<>(ops.size()) : null;
      for (WalOperation op : ops) {
        if (op.sequence() != expected) {
          throw new KevoException(
              ErrorCode.SEQUENCE_MISMATCH,
              "replicated records are not numbered consecutively: sequence "
                  + op.sequence()
                  + " where "
                  + expected
                  + " was expected");
        }
        expected++;
        checkKey(op.key());
        if (op.type() == OpType.PUT) {
          checkValue(op.value());
          p++;
          bytes += op.key().length + op.value().length;
        } else {
          d++;
          bytes += op.key().length;
        }
        if (batchOps != null) {
          batchOps.add(new WriteBatch.Op(op.type(), op.key(), op.value()));
        }
      }
      if (batchOps == null && ops.size() != 1) {
        throw new KevoException(
            ErrorCode.INVALID_ARGUMENT,
            "a replicated record that is not a batch holds one operation");
      }
      WalOperation only = ops.get(0);
      PendingWrite w;
      if (batchOps != null) {
        w = PendingWrite.batch(batchOps, wo.sync());
        b++;
      } else {
        w =
            PendingWrite.single(
                only.key(), only.type() == OpType.PUT ? only.value() : null, wo.sync());
      }
      w.attach(new ReplicatedAt(record.firstSequence(), group));
      writes.add(w);
    }
    submitAll(writes);
    batches.add(b);
    puts.add(p);
    deletes.add(d);
    bytesWritten.add(bytes);
    return writes.get(writes.size() - 1).lastSequence();
  }

  /**
   * Leader check of a replicated write: it must land at exactly this sequence; once one write of a
   * {@code group} is refused, the rest of the group is too.
   */
  private record ReplicatedAt(long firstSequence, Object group) {}

  /**
   * Forces the WAL written so far to stable storage without taking the write queue's leadership:
   * writes go on while the fsync runs (see {@link Wal#sync()}). Works while writes are refused too
   * (what was acknowledged still deserves to be durable). A failed fsync refuses writes until the
   * database is reopened.
   */
  public long syncWal() {
    ReentrantReadWriteLock.ReadLock rl = closeLock.readLock();
    rl.lock();
    try {
      checkOpen();
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
      rl.unlock();
    }
    return wal.durableSequence();
  }

  private void submit(PendingWrite w) {
    submitAll(List.of(w));
  }

  private void submitAll(List<PendingWrite> w) {
    ReentrantReadWriteLock.ReadLock rl = closeLock.readLock();
    rl.lock();
    try {
      checkWritable();
      queue.submitAll(w);
    } catch (KevoException e) {
      throw e;
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "WAL write failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KevoException(ErrorCode.IO_ERROR, "interrupted while waiting to write", e);
    } catch (Exception e) {
      throw new KevoException(ErrorCode.IO_ERROR, "write failed: " + e, e);
    } finally {
      rl.unlock();
    }
  }

  /**
   * Leader only: make room (freeze a full memtable, honour L0 stalls), one WAL append for the
   * group, then the memtable, then visibility.
   */
  private void commitGroup(List<PendingWrite> group, boolean sync) throws Exception {
    errors.checkWritable();
    lsm.maybeSwitch();
    group = screen(group);
    try {
      wal.append(group, sync);
    } catch (WalSyncException e) {
      // Written and announced to listeners (replicas may have it): apply it like a committed group,
      // so that this node reads what its log and its replicas hold.
      apply(group);
      throw errors.appendFailed(e);
    } catch (IOException | RuntimeException e) {
      throw errors.appendFailed(e);
    }
    apply(group);
  }

  /** Leader only: inserts a logged group into the memtable and makes it visible. */
  private void apply(List<PendingWrite> group) {
    MemTable m = lsm.active();
    long last = visibleSequence;
    for (PendingWrite w : group) {
      w.forEachOperation((seq, k, v) -> m.add(k, seq, v));
      if (w.count() > 0) {
        last = w.lastSequence();
      }
    }
    lsm.inserted(last);
    visibleSequence = last;
  }

  /**
   * Leader only: drops from the group the writes that must not be logged, each caller getting its
   * reason. A transaction runs its commit check, in order, against the committed state plus the
   * writes accepted before it in this group; a replicated write must start at exactly the sequence
   * it would be given. The others go on.
   */
  private List<PendingWrite> screen(List<PendingWrite> group) {
    boolean any = false;
    for (PendingWrite w : group) {
      any |= w.attachment() != null;
    }
    if (!any) {
      return group;
    }
    List<PendingWrite> accepted = new ArrayList<>(group.size());
    CommitCheck.GroupKeys earlier = new CommitCheck.GroupKeys();
    long next = wal.nextSequence();
    Object refusedGroup = null;
    ReadView view = null;
    try {
      for (PendingWrite w : group) {
        if (w.attachment() instanceof CommitCheck c) {
          if (view == null) {
            view = lsm.acquireView();
          }
          try {
            c.check(view, earlier);
          } catch (KevoException e) {
            w.reject(e);
            continue;
          }
        } else if (w.attachment() instanceof ReplicatedAt r
            && (r.firstSequence() != next || r.group() == refusedGroup)) {
          if (r.group() == refusedGroup) {
            w.reject(
                new KevoException(
                    ErrorCode.SEQUENCE_MISMATCH,
                    "an earlier record of the same replicated group was refused"));
            continue;
          }
          refusedGroup = r.group();
          w.reject(
              new KevoException(
                  ErrorCode.SEQUENCE_MISMATCH,
                  "replicated record starts at sequence "
                      + r.firstSequence()
                      + " but the log's next sequence is "
                      + next
                      + (r.firstSequence() < next ? " (already applied)" : " (a gap)")));
          continue;
        }
        accepted.add(w);
        next += w.count();
        w.forEachOperation((seq, k, v) -> earlier.add(k));
      }
    } finally {
      if (view != null) {
        view.unref();
      }
    }
    return accepted;
  }

  private void checkWritable() {
    if (closed) {
      throw closedException();
    }
    errors.checkWritable();
  }

  /** Why writes are refused now, if they are (see {@link ErrorRecovery}). */
  public Optional<WriteRefusal> writeRefusal() {
    WriteStop s = errors.current();
    return s == null ? Optional.empty() : Optional.of(s.toRefusal());
  }

  void checkKey(byte[] key) {
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

  void checkValue(byte[] value) {
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

  private long readSequence(ReadOptions ro) {
    return ro.snapshot() != null
        ? snapshots.sequenceOf(ro.snapshot())
        : readSequence(ro.minSequence());
  }

  /** Where a read without a snapshot, with read-your-writes {@code token} (0: none), reads now. */
  public long readSequence(long token) {
    return readLimit.sequence(visibleSequence, token);
  }

  /** See {@link io.kevo.engine.KevoDB#readCeiling}. */
  public void readCeiling(io.kevo.engine.ReadCeiling c) {
    readLimit.install(c, visibleSequence);
  }

  public byte[] get(byte[] key, ReadOptions ro) {
    checkOpen();
    checkKey(key);
    gets.increment();
    ReadView view = lsm.acquireView();
    try {
      return ReadPath.get(view, key, readSequence(ro));
    } finally {
      view.unref();
    }
  }

  public KevoCursor cursor(ScanOptions scan, ReadOptions ro) {
    checkOpen();
    Objects.requireNonNull(scan, "scan");
    ReadView view = lsm.acquireView();
    long seq;
    try {
      seq = readSequence(ro);
    } catch (RuntimeException e) {
      view.unref();
      throw e;
    }
    return new Cursor(ReadPath.iterator(view, seq, scan, view::unref));
  }

  public KevoIterator scan(ScanOptions scan, ReadOptions ro) {
    KevoCursor c = cursor(scan, ro);
    if (scan.reverse()) {
      c.seekToLast();
    } else {
      c.seekToFirst();
    }
    return new ScanIterator(c, scan.reverse());
  }

  public Snapshot snapshot(long token) {
    checkOpen();
    return snapshots.take(token);
  }

  // ---- transactions ----

  public Transaction beginTransaction(TransactionOptions options) {
    checkOpen();
    Objects.requireNonNull(options, "options");
    if (!options.readOnly()) {
      checkWritable();
    }
    return new TransactionImpl(
        this, transactionIds.incrementAndGet(), options, snapshots.take(options.minSequence()));
  }

  /** Logs {@code batch} if {@code check} passes in the write leader; returns its last sequence. */
  long commitTransaction(WriteBatch batch, CommitCheck check) {
    PendingWrite w = PendingWrite.batch(List.copyOf(batch.ops()), false).attach(check);
    submit(w);
    batches.increment();
    for (WriteBatch.Op op : batch.ops()) {
      if (op.type() == OpType.PUT) {
        puts.increment();
      } else {
        deletes.increment();
      }
    }
    bytesWritten.add(batch.byteSize());
    return w.lastSequence();
  }

  /**
   * A cursor over a transaction's view: its buffered writes ranked above everything, over the
   * committed state at {@code snapshotSequence}.
   */
  KevoCursor transactionCursor(
      ScanOptions scan,
      long snapshotSequence,
      java.util.NavigableMap<byte[], byte[]> writes,
      byte[] deleted) {
    checkOpen();
    ReadView view = lsm.acquireView();
    List<InternalIterator> sources = ReadPath.sources(view, view::unref);
    long mine = InternalOrder.MAX_SEQUENCE - 1;
    InternalIterator merged =
        new MergingIterator(
            List.of(
                new SortedMapIterator(writes, deleted, mine),
                new SequenceFilter(new MergingIterator(sources), snapshotSequence)));
    return new Cursor(ReadPath.user(merged, mine, scan, view::unref));
  }

  public long latestSequence() {
    return visibleSequence;
  }

  // ---- admin ----

  /** Freezes the memtable and waits until everything written so far is in SSTables. */
  public void flush() {
    checkWritable();
    long target = visibleSequence;
    if (target <= versions.persistedSequence()) {
      return;
    }
    lsm.requestSwitch();
    submit(PendingWrite.syncOnly());
    try {
      lsm.awaitPersisted(target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KevoException(ErrorCode.IO_ERROR, "interrupted while waiting for a flush", e);
    }
  }

  /** Flushes, then compacts every level's files overlapping {@code [from, to]} (null = open). */
  public void compactRange(byte[] from, byte[] to) {
    flush();
    try {
      background.compactRange(from, to).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KevoException(ErrorCode.IO_ERROR, "interrupted while compacting", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof KevoException k) {
        throw k;
      }
      throw new KevoException(ErrorCode.IO_ERROR, "compaction failed: " + c, c);
    }
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
    checkOpen();
    List<Segment> segs = wal.segments();
    long walBytes = 0;
    for (Segment s : segs) {
      walBytes += s.size();
    }
    ReadView view = lsm.acquireView();
    long memEntries;
    long memBytes;
    List<DbStats.LevelStats> levels = new ArrayList<>();
    try {
      memEntries = view.active.entryCount();
      memBytes = view.active.approximateBytes();
      for (ReadView.Frozen f : view.frozen) {
        memEntries += f.table().entryCount();
        memBytes += f.table().approximateBytes();
      }
      for (int l = 0; l < Version.MAX_LEVELS; l++) {
        levels.add(
            new DbStats.LevelStats(l, view.version.fileCount(l), view.version.levelBytes(l)));
      }
    } finally {
      view.unref();
    }
    long user = bytesWritten.sum();
    long written =
        wal.bytesWritten() + background.bytesFlushed() + background.compactionBytesWritten();
    WriteStop stop = errors.current();
    return new DbStats(
        visibleSequence,
        wal.durableSequence(),
        memEntries,
        memBytes,
        segs.size(),
        walBytes,
        puts.sum(),
        deletes.sum(),
        batches.sum(),
        gets.sum(),
        user,
        wal.recordsWritten(),
        wal.groupCommits(),
        wal.syncs(),
        recovery.segments().size(),
        recovery.records(),
        recovery.operations(),
        recovery.tornBytes(),
        recovery.discardedBytes(),
        recovery.millis(),
        List.copyOf(levels),
        lsm.frozenCount(),
        snapshots.count(),
        versions.persistedSequence(),
        background.flushes(),
        background.compactions(),
        background.bytesFlushed(),
        background.compactionBytesRead(),
        background.compactionBytesWritten(),
        user == 0 ? 0 : (double) written / user,
        tableStats.cacheHits(),
        tableStats.cacheMisses(),
        tableStats.bloomChecks(),
        tableStats.bloomUseful(),
        tableStats.bloomFalsePositives(),
        stop == null ? null : errors.refusal(stop).getMessage());
  }

  private void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  private KevoException closedException() {
    String why = unavailableReason;
    return why != null
        ? new KevoException(ErrorCode.UNAVAILABLE, "database " + dir + " is unavailable: " + why)
        : new KevoException(ErrorCode.CLOSED, "database " + dir + " is closed");
  }

  /**
   * Closes as {@link #close()}, but every later call fails with {@link ErrorCode#UNAVAILABLE} and
   * {@code reason} (the handle is being reopened on other contents).
   */
  public void closeUnavailable(String reason) {
    unavailableReason = Objects.requireNonNull(reason, "reason");
    close();
  }

  // ---- checkpoints ----

  /**
   * A checkpoint: holds the whole WAL first (so nothing after the sequence it will cover can be
   * trimmed in between), flushes, pins the version with its persisted sequence S, then narrows the
   * hold to S + 1.
   */
  public io.kevo.engine.Checkpoint checkpoint() {
    checkOpen();
    io.kevo.engine.RetentionHold hold = wal.retain(0);
    try {
      flush();
      VersionSet.Pinned pinned = versions.pinForCheckpoint();
      hold.advanceTo(pinned.persistedSequence() + 1);
      CheckpointImpl c = new CheckpointImpl(pinned, hold);
      LOG.info(
          "checkpoint of {} at sequence {}: {} files, {} bytes",
          dir,
          c.sequence(),
          c.files().size(),
          c.totalBytes());
      return c;
    } catch (RuntimeException e) {
      hold.close();
      throw e;
    }
  }

  /**
   * Waits for writes in progress, stops background work after its current job, syncs and closes the
   * log, releases the lock. Idempotent.
   */
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
      errors.close();
      lsm.closing();
      background.stop();
      lsm.release();
      try {
        versions.close();
      } catch (IOException e) {
        LOG.error("closing the manifest of {} failed", dir, e);
      }
      try {
        wal.close(wal.syncFailure() == null);
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
