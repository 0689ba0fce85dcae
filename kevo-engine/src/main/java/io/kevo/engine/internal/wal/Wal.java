package io.kevo.engine.internal.wal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.Options;
import io.kevo.engine.RetentionHold;
import io.kevo.engine.SyncMode;
import io.kevo.engine.WalAccess;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalListener;
import io.kevo.engine.WalSubscription;
import io.kevo.engine.internal.io.FileIo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: an ordered list of segment files, the last of which is being appended to.
 * This class is the log's handle — what the engine and {@link WalAccess} callers see — and hands
 * each call to the part that owns it:
 *
 * <ul>
 *   <li>{@link WalWriter} — appends, rotation, fsync and repair (one appending leader at a time;
 *       syncs from any thread);
 *   <li>{@link SegmentFiles} — the segment files: creation, lookup, deletion;
 *   <li>{@link RetentionHolds} — what must not be deleted yet;
 *   <li>{@link WalObservers} — feeding the tail to listeners: queued ones on their own threads,
 *       inline ones on the appending leader's thread;
 *   <li>{@link WalCursorImpl} — reading from a sequence on.
 * </ul>
 *
 * Recovery and replay ({@link WalRecovery}) run before a {@code Wal} exists; {@link #open} starts
 * from what they found.
 *
 * <p>Threading: {@link #append} is called by one thread at a time (the group-commit leader, see
 * {@link WalWriter}); {@link #sync} by any thread, without holding up appends. Everything else —
 * readers, listeners, retention holds, segment deletion — is thread-safe and never blocks the
 * writer: readers only read bytes the writer has finished ({@link Segment#size()}), queued
 * listeners get records through their own bounded queues; inline listeners ({@link
 * #subscribeInline}) are the exception: the leader calls them on its own thread after each append,
 * outside the log's lock, so they must be quick and must never wait for the writer.
 *
 * <p>Segment deletion: a segment may be deleted only once every operation in it is persisted
 * elsewhere (in SSTables: {@link #deleteObsoleteSegments(long)} is given the persisted sequence)
 * <em>and</em> no {@link RetentionHold} needs any of its sequences. The active segment is never
 * deleted.
 *
 * <p>Failures: a failed append leaves the log refusing appends until {@link #repair()}; a failed
 * fsync ({@link WalSyncException}) is final for this handle (see {@link #sync()}).
 */
public final class Wal implements WalAccess, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wal.class);

  private final SegmentFiles segments;
  private final RetentionHolds holds;
  private final WalObservers observers;
  private final WalWriter writer;
  private volatile boolean closed;

  private Wal(
      Options options, SegmentFiles segments, FileChannel active, long number, long lastSequence) {
    this.segments = segments;
    this.holds = new RetentionHolds(this::openingHoldClosed);
    this.observers = new WalObservers(this::durableSequence);
    this.writer = new WalWriter(options, segments, observers, lastSequence, active, number);
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
    SegmentFiles segments =
        SegmentFiles.fromRecovered(dir, files, recovered.segments(), persistedSequence);
    long number = SegmentFiles.lastNumber(recovered.segments()) + 1;
    FileChannel ch = segments.create(number);
    return new Wal(
        options, segments, ch, number, Math.max(recovered.lastSequence(), persistedSequence));
  }

  // ---- writing (WalWriter) ----

  /**
   * Appends each write of {@code group} as one logical record, assigning consecutive sequence
   * numbers, in one write system call; then fsyncs if {@code forceSync}, the sync mode or the
   * {@link SyncMode#BATCH} byte threshold asks for it. Leader only; inline listeners are called on
   * this thread before it returns.
   */
  public void append(List<PendingWrite> group, boolean forceSync) throws IOException {
    writer.append(group, forceSync);
  }

  /**
   * Forces everything written so far to stable storage, if anything is unsynced. Any thread; does
   * not hold up appends while it forces.
   *
   * <p>A failed fsync is never retried: Linux may drop the dirty pages whose write-back failed and
   * report the error only once, so a second fsync can succeed while the data is not on disk (the
   * PostgreSQL "fsyncgate" finding). After one, every call throws {@link WalSyncException}; only
   * reopening, which replays what really is on disk, gets a trustworthy log again.
   *
   * @throws WalSyncException if this or an earlier fsync failed
   */
  public void sync() throws IOException {
    writer.sync();
  }

  /**
   * After a {@link WalAppendException}: truncates the active segment to the end of its last
   * complete record and fsyncs it, so that no byte of the failed group can be replayed, and lets
   * appends go on with the group's sequence numbers. A no-op when no append failed. Retried by the
   * caller until it succeeds; never runs concurrently with an append (the caller refuses writes
   * meanwhile) or with a sync (it holds the sync lock).
   */
  public void repair() throws IOException {
    writer.repair();
  }

  /** Whether an append failed and {@link #repair()} has not yet cut its bytes off. */
  public boolean damaged() {
    return writer.damaged();
  }

  /** The fsync failure that ended this handle's syncing (see {@link #sync()}), or null. */
  public WalSyncException syncFailure() {
    return writer.syncFailure();
  }

  /** {@link System#nanoTime()} of the oldest unsynced append, or 0 if all is synced. */
  public long unsyncedSinceNanos() {
    return writer.unsyncedSinceNanos();
  }

  // ---- reading, listening, retention (thread-safe) ----

  @Override
  public long nextSequence() {
    return writer.writtenSequence() + 1;
  }

  @Override
  public long durableSequence() {
    return writer.durableSequence();
  }

  /** The last sequence written to the OS. */
  public long writtenSequence() {
    return writer.writtenSequence();
  }

  @Override
  public long firstRetainedSequence() {
    return segments.firstSequence(nextSequence());
  }

  @Override
  public long bytesFrom(long sequence) {
    return segments.bytesFrom(sequence);
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
    RetentionHolds.Hold pin = holds.add(sequence);
    long first = firstRetainedSequence();
    if (sequence < first) {
      pin.close();
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "sequence " + sequence + " is no longer retained: the log starts at " + first);
    }
    return new WalCursorImpl(segments, sequence, pin);
  }

  @Override
  public WalSubscription subscribe(String name, WalListener listener) {
    checkOpen();
    return observers.subscribe(name, listener, writer.writtenSequence());
  }

  @Override
  public WalSubscription subscribeInline(WalListener listener) {
    checkOpen();
    return observers.subscribeInline(listener);
  }

  @Override
  public RetentionHold retain(long fromSequence) {
    checkOpen();
    return holds.add(fromSequence);
  }

  /**
   * Holds every segment until the owner takes the hold ({@link #takeOpeningHold()}) and closes it.
   * Closing it deletes at once what only it kept, rather than at the next flush: a node restarted
   * again and again may never reach one, and would read the same segments at every open.
   */
  public void installOpeningHold() {
    checkOpen();
    holds.installOpening();
  }

  @Override
  public RetentionHold takeOpeningHold() {
    return holds.takeOpening();
  }

  /** The lowest sequence any retention hold needs, or {@link Long#MAX_VALUE}. */
  public long minHeldSequence() {
    return holds.minHeld();
  }

  /**
   * Deletes sealed segments, oldest first, whose every operation is at or below {@code
   * persistedSequence} and below every retention hold. Stops at the first segment it must keep.
   *
   * @return the number of segments deleted
   */
  public int deleteObsoleteSegments(long persistedSequence) throws IOException {
    return segments.deleteObsolete(persistedSequence, holds::minHeld, writer.activeSegment());
  }

  /** A copy of the current segment list, oldest first. */
  public List<Segment> segments() {
    return segments.list();
  }

  public long recordsWritten() {
    return writer.recordsWritten();
  }

  /** Bytes appended to segments since open (framing included). */
  public long bytesWritten() {
    return writer.bytesWritten();
  }

  public long groupCommits() {
    return writer.groupCommits();
  }

  public long syncs() {
    return writer.syncs();
  }

  /** Nanoseconds spent in fsync calls on WAL segments since open. */
  public long syncNanos() {
    return writer.syncNanos();
  }

  public Path directory() {
    return segments.directory();
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
      writer.closeChannels();
      observers.close();
    }
  }

  @Override
  public void close() throws IOException {
    close(true);
  }

  /**
   * The opening hold was closed (on the closing thread): deletes what it alone kept, now, unless
   * the log is closed.
   */
  private void openingHoldClosed() {
    if (closed) {
      return;
    }
    long persisted = segments.persistedSequence();
    try {
      deleteObsoleteSegments(persisted);
    } catch (IOException e) {
      LOG.warn("could not delete WAL segments up to sequence {}", persisted, e);
    }
  }
}
