package io.kevo.engine.internal.wal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.Options;
import io.kevo.engine.RetentionHold;
import io.kevo.engine.SyncMode;
import io.kevo.engine.WalAccess;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalListener;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalSubscription;
import io.kevo.engine.internal.io.FileIo;
import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: an ordered list of segment files, the last of which is being appended to.
 *
 * <p>Threading: {@link #append} is called by one thread at a time (the group-commit leader; the
 * commit queue's lock orders successive leaders), which owns the sequence counter and the encode
 * buffer. {@link #sync} may be called by any thread, also while a leader appends: it takes the
 * unsynced channels and the written position under {@link #state} (held by an append only for its
 * write system call), forces them outside it, then publishes the durable position, so that an fsync
 * never holds up appends; syncs run one at a time (a sync waits for the one in progress, which may
 * already cover it), so the durable position is always a prefix of the log and only grows. Rotation
 * never closes a channel being forced: the sync closes it afterwards. Everything else — readers,
 * listeners, retention holds, segment deletion — is thread-safe and never blocks the writer:
 * readers only read bytes the writer has finished ({@link Segment#size()}), listeners get records
 * through their own bounded queues; inline listeners ({@link #subscribeInline}) are the exception:
 * the leader calls them after each append, outside {@code state}, so they must be quick and must
 * never wait for the writer.
 *
 * <p>Segment deletion: a segment may be deleted only once every operation in it is persisted
 * elsewhere (in SSTables: {@link #deleteObsoleteSegments(long)} is given the persisted sequence)
 * <em>and</em> no {@link RetentionHold} needs any of its sequences. The active segment is never
 * deleted.
 *
 * <p>Failures. A failed append ({@link WalAppendException}: the disk is full, say) leaves the
 * segment with a tail of unknown length past its last complete record; the group's sequence numbers
 * go back to the counter and the log refuses appends until {@link #repair()} has truncated that
 * tail and fsynced the cut, so a number is never given to a second write while bytes of the first
 * could still be replayed. Listeners hear of a group only after all of its bytes were written, so
 * they never see a record that is then cut off. A failed fsync ({@link WalSyncException}) is final
 * for this handle (see {@link #sync()}).
 */
public final class Wal implements WalAccess, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
  private static final int INITIAL_BUFFER = 64 * 1024;
  private static final int MAX_RETAINED_BUFFER = 4 << 20;

  private final Path dir;
  private final Options options;
  private final FileIo files;
  private final List<Segment> segments = new ArrayList<>();
  private final CopyOnWriteArrayList<ListenerDispatcher> dispatchers = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<WalListener> inlineListeners = new CopyOnWriteArrayList<>();
  private final Set<Hold> holds = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicReference<RetentionHold> openingHold =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final CRC32 crc = new CRC32();

  /** Guards the state a sync shares with the appending leader (see the class comment). */
  private final Object state = new Object();

  /** Serialises syncs. */
  private final java.util.concurrent.locks.ReentrantLock syncing =
      new java.util.concurrent.locks.ReentrantLock();

  private FileChannel active; // guarded by state
  private Segment activeSegment;
  private final List<FileChannel> sealedUnsynced = new ArrayList<>(); // guarded by state
  private FileChannel forcing; // the channel a sync is forcing now, or null; guarded by state
  private final List<FileChannel> closeAfterForce = new ArrayList<>(); // guarded by state
  private long nextSequence;
  private long unsyncedBytes; // guarded by state
  private boolean damaged; // an append failed and repair() has not cut its bytes off; under state
  private volatile WalSyncException syncFailure; // the first failed fsync, final
  private ByteBuffer out = ByteBuffer.allocateDirect(INITIAL_BUFFER).order(ByteOrder.LITTLE_ENDIAN);

  private long
      persistedSequence; // the highest given to deleteObsoleteSegments; guarded by segments
  private volatile long writtenSequence;
  private volatile long durableSequence;
  private volatile long unsyncedSinceNanos;
  private volatile long recordsWritten;
  private volatile long bytesWritten;
  private volatile long groupCommits;
  private volatile long syncs;
  private volatile boolean closed;

  private Wal(Path dir, Options options, FileIo files, List<Segment> recovered, long lastSequence) {
    this.dir = dir;
    this.options = options;
    this.files = files;
    this.segments.addAll(recovered);
    this.nextSequence = lastSequence + 1;
    this.writtenSequence = lastSequence;
    this.durableSequence = lastSequence;
  }

  /**
   * Opens the log for appending after {@link WalRecovery} replayed it: empty segments are removed
   * and a new active segment is started after the last one.
   */
  public static Wal open(Path dir, Options options, WalRecovery.Result recovered)
      throws IOException {
    return open(dir, options, recovered, 0);
  }

  /**
   * As {@link #open(Path, Options, WalRecovery.Result)}, continuing sequences after {@code
   * persistedSequence} when the log holds nothing newer (its segments were deleted once their
   * operations reached SSTables).
   */
  public static Wal open(
      Path dir, Options options, WalRecovery.Result recovered, long persistedSequence)
      throws IOException {
    return open(dir, options, recovered, persistedSequence, FileIo.DEFAULT);
  }

  /** As {@link #open(Path, Options, WalRecovery.Result, long)}, writing through {@code files}. */
  public static Wal open(
      Path dir, Options options, WalRecovery.Result recovered, long persistedSequence, FileIo files)
      throws IOException {
    List<Segment> kept = new ArrayList<>();
    long maxNumber = 0;
    for (Segment s : recovered.segments()) {
      maxNumber = Math.max(maxNumber, s.number());
      if (s.size() == 0) {
        Files.deleteIfExists(s.path());
      } else {
        kept.add(s);
      }
    }
    Wal wal =
        new Wal(dir, options, files, kept, Math.max(recovered.lastSequence(), persistedSequence));
    wal.persistedSequence = persistedSequence;
    FileChannel ch = wal.createSegmentFile(maxNumber + 1);
    wal.install(ch, maxNumber + 1);
    return wal;
  }

  /**
   * Creates segment file {@code number} and makes its name durable. On failure nothing is left
   * behind (as far as the file system lets us), so that a later attempt can create it again.
   */
  private FileChannel createSegmentFile(long number) throws IOException {
    Path path = dir.resolve(Segment.fileName(number));
    FileChannel ch = files.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files2.fsyncDirectory(dir);
      return ch;
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
        Files.deleteIfExists(path);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Makes the created segment file {@code number} the one appended to. */
  private void install(FileChannel ch, long number) {
    Segment seg = new Segment(number, dir.resolve(Segment.fileName(number)), 0, 0, 0);
    synchronized (segments) {
      segments.add(seg);
    }
    active = ch;
    activeSegment = seg;
  }

  /**
   * Appends each write of {@code group} as one logical record, assigning consecutive sequence
   * numbers, in one write system call; then fsyncs if {@code forceSync}, the sync mode or the
   * {@link SyncMode#BATCH} byte threshold asks for it. Leader only.
   */
  public void append(List<PendingWrite> group, boolean forceSync) throws IOException {
    long total = 0;
    for (PendingWrite w : group) {
      total += w.framedSize();
    }
    boolean needSync;
    synchronized (state) {
      needSync = appendLocked(group, total, forceSync);
    }
    if (total > 0 && !inlineListeners.isEmpty()) {
      notifyInline(group);
    }
    if (needSync) {
      sync();
    }
  }

  /**
   * Leader, after the append and outside {@link #state}: the inline listeners get the group's
   * records. Still in log order, since the next leader appends only after this one returns.
   */
  private void notifyInline(List<PendingWrite> group) {
    for (PendingWrite w : group) {
      if (w.count() > 0) {
        WalRecord r = w.toRecord();
        for (WalListener l : inlineListeners) {
          try {
            l.onRecord(r);
          } catch (RuntimeException e) {
            LOG.warn("inline WAL listener threw; continuing", e);
          }
        }
      }
    }
  }

  /**
   * The body of {@link #append}, under {@link #state}; returns whether to sync.
   *
   * @throws WalAppendException if writing failed after the group was numbered
   * @throws IOException if starting a new segment failed (nothing of the group was written)
   */
  private boolean appendLocked(List<PendingWrite> group, long total, boolean forceSync)
      throws IOException {
    if (damaged) {
      throw new IllegalStateException("the WAL takes no append before repair() after a failure");
    }
    if (total > 0
        && activeSegment.size() > 0
        && activeSegment.size() + total > options.segmentSize()) {
      rotate();
    }
    long first = nextSequence;
    if (total > 0) {
      ByteBuffer buf = buffer(total);
      long pos = activeSegment.size();
      try {
        for (PendingWrite w : group) {
          w.assign(nextSequence);
          nextSequence += w.count();
          if (w.count() > 0) {
            frame(buf, w);
          }
        }
        buf.flip();
        while (buf.hasRemaining()) {
          pos += active.write(buf, pos);
        }
      } catch (IOException | RuntimeException e) {
        // Part of the group may be in the file: its numbers are reusable only after repair().
        nextSequence = first;
        damaged = true;
        throw new WalAppendException(first, e);
      } catch (Error e) {
        // The same for an OutOfMemoryError while framing or writing: left as it was, the counter
        // would hand the next group numbers after a record that was never written, a gap that
        // makes the log unreadable past it (found by the fault-injection harness).
        nextSequence = first;
        damaged = true;
        throw e;
      }
      long last = nextSequence - 1;
      activeSegment.appended(pos, first, last);
      writtenSequence = last;
      unsyncedBytes += total;
      if (unsyncedSinceNanos == 0) {
        unsyncedSinceNanos = System.nanoTime();
      }
      recordsWritten += group.size();
      bytesWritten += total;
      if (!dispatchers.isEmpty()) {
        for (PendingWrite w : group) {
          if (w.count() > 0) {
            WalRecord r = w.toRecord();
            for (ListenerDispatcher d : dispatchers) {
              d.offerRecord(r, w.dataSize());
            }
          }
        }
      }
    } else {
      for (PendingWrite w : group) {
        w.assign(nextSequence);
      }
    }
    groupCommits++;
    return forceSync
        || options.syncMode() == SyncMode.IMMEDIATE
        || (options.syncMode() == SyncMode.BATCH && unsyncedBytes >= options.batchSyncBytes());
  }

  /**
   * Forces everything written so far to stable storage, if anything is unsynced. Any thread; does
   * not hold up appends while it forces (see the class comment).
   *
   * <p>A failed fsync is never retried: Linux may drop the dirty pages whose write-back failed and
   * report the error only once, so a second fsync can succeed while the data is not on disk (the
   * PostgreSQL "fsyncgate" finding). After one, every call throws {@link WalSyncException}; only
   * reopening, which replays what really is on disk, gets a trustworthy log again.
   *
   * @throws WalSyncException if this or an earlier fsync failed
   */
  public void sync() throws IOException {
    syncing.lock();
    try {
      WalSyncException earlier = syncFailure;
      if (earlier != null) {
        throw new WalSyncException("an earlier fsync of the WAL failed: " + earlier, earlier);
      }
      long upTo;
      List<FileChannel> sealed;
      FileChannel act;
      synchronized (state) {
        if (unsyncedBytes == 0) {
          return; // no sync in progress (we hold `syncing`): everything written is durable
        }
        upTo = writtenSequence;
        sealed = sealedUnsynced.isEmpty() ? List.of() : new ArrayList<>(sealedUnsynced);
        sealedUnsynced.clear();
        act = active;
        forcing = act;
        unsyncedBytes = 0;
        unsyncedSinceNanos = 0;
      }
      int closed = 0;
      try {
        // Older segments first: what is durable is always a prefix of the log.
        for (FileChannel ch : sealed) {
          ch.force(false);
          syncs++;
          ch.close();
          closed++;
        }
        act.force(false);
        syncs++;
      } catch (IOException e) {
        syncFailure = new WalSyncException("fsync of the WAL in " + dir + " failed: " + e, e);
        throw syncFailure;
      } finally {
        synchronized (state) {
          forcing = null;
          closeAfterForce.addAll(sealed.subList(closed, sealed.size()));
          for (FileChannel ch : closeAfterForce) {
            try {
              ch.close();
            } catch (IOException e) {
              // Forced (or failed, which is reported): closing is only releasing the descriptor.
              LOG.warn("closing a sealed WAL segment failed", e);
            }
          }
          closeAfterForce.clear();
        }
      }
      durableSequence = upTo;
    } finally {
      syncing.unlock();
    }
    for (ListenerDispatcher d : dispatchers) {
      d.syncAdvanced();
    }
    for (WalListener l : inlineListeners) {
      try {
        l.onSync(durableSequence);
      } catch (RuntimeException e) {
        LOG.warn("inline WAL listener threw; continuing", e);
      }
    }
  }

  /**
   * After a {@link WalAppendException}: truncates the active segment to the end of its last
   * complete record and fsyncs it, so that no byte of the failed group can be replayed, and lets
   * appends go on with the group's sequence numbers. A no-op when no append failed. Retried by the
   * caller until it succeeds; never runs concurrently with an append (the caller refuses writes
   * meanwhile) or with a sync (it holds the sync lock).
   */
  public void repair() throws IOException {
    syncing.lock();
    try {
      synchronized (state) {
        if (!damaged) {
          return;
        }
        long end = activeSegment.size();
        active.truncate(end);
        active.force(true);
        damaged = false;
        LOG.info(
            "WAL segment {} cut back to {} bytes after a failed append; next sequence {}",
            activeSegment,
            end,
            nextSequence);
      }
    } finally {
      syncing.unlock();
    }
  }

  /** Whether an append failed and {@link #repair()} has not yet cut its bytes off. */
  public boolean damaged() {
    synchronized (state) {
      return damaged;
    }
  }

  /** The fsync failure that ended this handle's syncing (see {@link #sync()}), or null. */
  public WalSyncException syncFailure() {
    return syncFailure;
  }

  /** {@link System#nanoTime()} of the oldest unsynced append, or 0 if all is synced. */
  public long unsyncedSinceNanos() {
    return unsyncedSinceNanos;
  }

  /** Under {@link #state}. If it fails, the active segment is unchanged. */
  private void rotate() throws IOException {
    // The new file first: a full disk can refuse it, and then we must still be appending to the
    // old segment, not to a closed channel.
    FileChannel next = createSegmentFile(activeSegment.number() + 1);
    // A later sync must cover the old segment too, so that durability is always a prefix of the
    // log: keep an unsynced channel open and let the next sync (right after this append with
    // IMMEDIATE, at the byte threshold with BATCH, a SYNC write, a syncWal, or close) force it
    // before the new segment. A channel a sync is forcing now is closed by that sync.
    if (unsyncedBytes > 0) {
      sealedUnsynced.add(active);
    } else if (active == forcing) {
      closeAfterForce.add(active);
    } else {
      try {
        active.close();
      } catch (IOException e) {
        // Everything in it is synced; the new segment is already created and must be installed.
        LOG.warn("closing sealed WAL segment {} failed", activeSegment, e);
      }
    }
    activeSegment.seal();
    LOG.debug("WAL segment {} sealed", activeSegment);
    install(next, activeSegment.number() + 1);
  }

  private ByteBuffer buffer(long total) {
    if (total > MAX_RETAINED_BUFFER) {
      if (total > Integer.MAX_VALUE - 16) {
        throw new KevoException(ErrorCode.INVALID_ARGUMENT, "write of " + total + " bytes");
      }
      return ByteBuffer.allocateDirect((int) total).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (out.capacity() < total) {
      int cap = out.capacity();
      while (cap < total) {
        cap *= 2;
      }
      out = ByteBuffer.allocateDirect(cap).order(ByteOrder.LITTLE_ENDIAN);
    }
    out.clear();
    return out;
  }

  private void frame(ByteBuffer buf, PendingWrite w) {
    int hdr = buf.position();
    buf.position(hdr + RecordFormat.HEADER_SIZE);
    w.encode(buf);
    int len = buf.position() - hdr - RecordFormat.HEADER_SIZE;
    if (len <= RecordFormat.MAX_DATA) {
      header(buf, hdr, RecordFormat.FULL, len);
      return;
    }
    byte[] data = new byte[len];
    buf.get(hdr + RecordFormat.HEADER_SIZE, data);
    buf.position(hdr);
    for (int off = 0; off < len; ) {
      int n = Math.min(RecordFormat.MAX_DATA, len - off);
      byte type =
          off == 0 ? RecordFormat.FIRST : off + n == len ? RecordFormat.LAST : RecordFormat.MIDDLE;
      int h = buf.position();
      buf.position(h + RecordFormat.HEADER_SIZE);
      buf.put(data, off, n);
      header(buf, h, type, n);
      off += n;
    }
  }

  private void header(ByteBuffer buf, int at, byte type, int len) {
    ByteBuffer data = buf.duplicate();
    data.limit(at + RecordFormat.HEADER_SIZE + len).position(at + RecordFormat.HEADER_SIZE);
    crc.reset();
    crc.update(data);
    buf.putInt(at, (int) crc.getValue());
    buf.putShort(at + 4, (short) len);
    buf.put(at + 6, type);
  }

  // ---- reading, listening, retention (thread-safe) ----

  @Override
  public long nextSequence() {
    return writtenSequence + 1;
  }

  @Override
  public long durableSequence() {
    return durableSequence;
  }

  /** The last sequence written to the OS. */
  public long writtenSequence() {
    return writtenSequence;
  }

  @Override
  public long firstRetainedSequence() {
    synchronized (segments) {
      for (Segment s : segments) {
        if (s.firstSequence() > 0) {
          return s.firstSequence();
        }
      }
    }
    return nextSequence();
  }

  @Override
  public long bytesFrom(long sequence) {
    long total = 0;
    synchronized (segments) {
      for (Segment s : segments) {
        // An empty or still-open segment may receive `sequence`; a sealed one ending before it
        // cannot.
        if (s.lastSequence() == 0 || s.lastSequence() >= sequence) {
          total += s.size();
        }
      }
    }
    return total;
  }

  @Override
  public WalCursor readFrom(long sequence) {
    checkOpen();
    long next = nextSequence();
    if (sequence > next) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "sequence " + sequence + " is in the future: the log's next sequence is " + next);
    }
    Hold pin = new Hold(sequence, false);
    holds.add(pin);
    long first = firstRetainedSequence();
    if (sequence < first) {
      pin.close();
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "sequence " + sequence + " is no longer retained: the log starts at " + first);
    }
    return new WalCursorImpl(this, sequence, pin);
  }

  /** The segment to start reading {@code sequence} from: the last one starting at or before it. */
  Segment segmentFor(long sequence) {
    synchronized (segments) {
      Segment found = null;
      for (Segment s : segments) {
        if (s.firstSequence() > 0 && s.firstSequence() <= sequence) {
          found = s;
        } else if (s.firstSequence() > sequence) {
          break;
        }
      }
      return found != null ? found : segments.get(0);
    }
  }

  /** The segment after {@code s}, or null if {@code s} is the last. */
  Segment segmentAfter(Segment s) {
    synchronized (segments) {
      int i = segments.indexOf(s);
      return i >= 0 && i + 1 < segments.size() ? segments.get(i + 1) : null;
    }
  }

  @Override
  public WalSubscription subscribe(String name, WalListener listener) {
    checkOpen();
    ListenerDispatcher d = new ListenerDispatcher(name, listener, this, writtenSequence);
    dispatchers.add(d);
    d.start();
    return d;
  }

  @Override
  public WalSubscription subscribeInline(WalListener listener) {
    checkOpen();
    inlineListeners.add(listener);
    return () -> inlineListeners.remove(listener);
  }

  void unsubscribe(ListenerDispatcher d) {
    dispatchers.remove(d);
  }

  @Override
  public RetentionHold retain(long fromSequence) {
    checkOpen();
    Hold h = new Hold(fromSequence, false);
    holds.add(h);
    return h;
  }

  /**
   * Holds every segment until the owner takes the hold ({@link #takeOpeningHold()}) and closes it.
   * Closing it deletes at once what only it kept, rather than at the next flush: a node restarted
   * again and again may never reach one, and would read the same segments at every open.
   */
  public void installOpeningHold() {
    checkOpen();
    Hold h = new Hold(0, true);
    holds.add(h);
    openingHold.set(h);
  }

  @Override
  public RetentionHold takeOpeningHold() {
    return openingHold.getAndSet(null);
  }

  /** The lowest sequence any retention hold needs, or {@link Long#MAX_VALUE}. */
  public long minHeldSequence() {
    long min = Long.MAX_VALUE;
    for (Hold h : holds) {
      min = Math.min(min, h.fromSequence());
    }
    return min;
  }

  /**
   * Deletes sealed segments, oldest first, whose every operation is at or below {@code
   * persistedSequence} and below every retention hold. Stops at the first segment it must keep.
   *
   * @return the number of segments deleted
   */
  public int deleteObsoleteSegments(long persistedSequence) throws IOException {
    List<Segment> doomed = new ArrayList<>();
    synchronized (segments) {
      this.persistedSequence = Math.max(this.persistedSequence, persistedSequence);
      long keepFrom = Math.min(persistedSequence + 1, minHeldSequence());
      Iterator<Segment> it = segments.iterator();
      while (it.hasNext()) {
        Segment s = it.next();
        if (!s.sealed() || s == activeSegment || s.lastSequence() >= keepFrom) {
          break;
        }
        doomed.add(s);
        it.remove();
      }
    }
    for (Segment s : doomed) {
      Files.deleteIfExists(s.path());
      LOG.debug("deleted obsolete WAL segment {}", s);
    }
    if (!doomed.isEmpty()) {
      Files2.fsyncDirectory(dir);
    }
    return doomed.size();
  }

  /** A copy of the current segment list, oldest first. */
  public List<Segment> segments() {
    synchronized (segments) {
      return List.copyOf(segments);
    }
  }

  public long recordsWritten() {
    return recordsWritten;
  }

  /** Bytes appended to segments since open (framing included). */
  public long bytesWritten() {
    return bytesWritten;
  }

  public long groupCommits() {
    return groupCommits;
  }

  public long syncs() {
    return syncs;
  }

  public Path directory() {
    return dir;
  }

  private void checkOpen() {
    if (closed) {
      throw new KevoException(ErrorCode.CLOSED, "the write-ahead log is closed");
    }
  }

  /**
   * Syncs (unless the log failed) and closes the active segment and stops listeners. Called once,
   * by the owner, when no writer is active.
   */
  public void close(boolean syncFirst) throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (syncFirst) {
        sync();
      }
    } finally {
      synchronized (state) {
        for (FileChannel ch : sealedUnsynced) {
          ch.close();
        }
        for (FileChannel ch : closeAfterForce) {
          ch.close();
        }
      }
      active.close();
      activeSegment.seal();
      for (ListenerDispatcher d : dispatchers) {
        d.close();
      }
      inlineListeners.clear();
    }
  }

  @Override
  public void close() throws IOException {
    close(true);
  }

  /** Deletes what the opening hold alone kept, now that it is closed (see installOpeningHold). */
  private void trimAfterOpeningHold() {
    long persisted;
    synchronized (segments) {
      persisted = persistedSequence;
    }
    try {
      deleteObsoleteSegments(persisted);
    } catch (IOException e) {
      LOG.warn("could not delete WAL segments up to sequence {}", persisted, e);
    }
  }

  /** A retention hold; also pins segments under a cursor. */
  final class Hold implements RetentionHold {
    private volatile long from;
    private final boolean opening;

    Hold(long from, boolean opening) {
      this.from = from;
      this.opening = opening;
    }

    @Override
    public long fromSequence() {
      return from;
    }

    @Override
    public synchronized void advanceTo(long fromSequence) {
      if (fromSequence > from) {
        from = fromSequence;
      }
    }

    @Override
    public void close() {
      if (holds.remove(this) && opening && !closed) {
        trimAfterOpeningHold();
      }
    }
  }
}
