package io.kevo.engine.internal.wal;

import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL's writing side: appends groups to the active segment, rotates to a new segment, fsyncs,
 * and cuts off what a failed append left.
 *
 * <p>Threading: {@link #append} is called by one thread at a time — the group-commit leader, an
 * application thread the write queue elected (there is no dedicated WAL thread; the queue's lock
 * orders successive leaders) — which owns the sequence counter, the {@link RecordFramer} and
 * rotation. {@link #sync} may be called by any thread, also while a leader appends: it takes the
 * unsynced channels and the written position under {@link #state} (held by an append only for its
 * write system call), forces them outside it, then publishes the durable position, so that an fsync
 * never holds up appends; syncs run one at a time (a sync waits for the one in progress, which may
 * already cover it), so the durable position is always a prefix of the log and only grows. Rotation
 * never closes a channel being forced: the sync closes it afterwards. The written and durable
 * positions and the counters are volatile, readable by any thread.
 *
 * <p>Listeners: the queued ones are offered each group under {@code state}, once all of its bytes
 * are written; the inline ones are fed on the appending leader's thread right after, outside {@code
 * state}; both hear of a sync on the syncing thread ({@link WalObservers}).
 *
 * <p>Failures. A failed append ({@link WalAppendException}: the disk is full, say) leaves the
 * segment with a tail of unknown length past its last complete record; the group's sequence numbers
 * go back to the counter and appends are refused until {@link #repair()} has truncated that tail
 * and fsynced the cut, so a number is never given to a second write while bytes of the first could
 * still be replayed. Listeners hear of a group only after all of its bytes were written, so they
 * never see a record that is then cut off. A failed fsync ({@link WalSyncException}) is final (see
 * {@link #sync()}).
 */
final class WalWriter {
  private static final Logger LOG = LoggerFactory.getLogger(WalWriter.class);

  private final Options options;
  private final SegmentFiles segments;
  private final WalObservers observers;
  private final RecordFramer framer = new RecordFramer();

  /** Guards the state a sync shares with the appending leader (see the class comment). */
  private final Object state = new Object();

  /** Serialises syncs (and repair). */
  private final ReentrantLock syncing = new ReentrantLock();

  private FileChannel active; // guarded by state
  private volatile Segment activeSegment;
  private final List<FileChannel> sealedUnsynced = new ArrayList<>(); // guarded by state
  private FileChannel forcing; // the channel a sync is forcing now, or null; guarded by state
  private final List<FileChannel> closeAfterForce = new ArrayList<>(); // guarded by state
  private long nextSequence; // the leader's
  private long unsyncedBytes; // guarded by state
  private boolean damaged; // an append failed and repair() has not cut its bytes off; under state
  private volatile WalSyncException syncFailure; // the first failed fsync, final

  private volatile long writtenSequence;
  private volatile long durableSequence;
  private volatile long unsyncedSinceNanos;
  private volatile long recordsWritten;
  private volatile long bytesWritten;
  private volatile long groupCommits;
  private volatile long syncs;
  private volatile long syncNanos;

  /**
   * Starts appending to the created segment file {@code number} ({@code ch}), continuing sequences
   * after {@code lastSequence}.
   */
  WalWriter(
      Options options,
      SegmentFiles segments,
      WalObservers observers,
      long lastSequence,
      FileChannel ch,
      long number) {
    this.options = options;
    this.segments = segments;
    this.observers = observers;
    this.nextSequence = lastSequence + 1;
    this.writtenSequence = lastSequence;
    this.durableSequence = lastSequence;
    install(ch, number);
  }

  /** Makes the created segment file {@code number} the one appended to. */
  private void install(FileChannel ch, long number) {
    Segment seg = segments.add(number);
    active = ch;
    activeSegment = seg;
  }

  /**
   * Appends each write of {@code group} as one logical record, assigning consecutive sequence
   * numbers, in one write system call; then fsyncs if {@code forceSync}, the sync mode or the
   * {@link SyncMode#BATCH} byte threshold asks for it. Leader only.
   */
  void append(List<PendingWrite> group, boolean forceSync) throws IOException {
    long total = 0;
    for (PendingWrite w : group) {
      total += w.framedSize();
    }
    boolean needSync;
    synchronized (state) {
      needSync = appendLocked(group, total, forceSync);
    }
    if (total > 0 && observers.hasInline()) {
      observers.feedInline(group);
    }
    if (needSync) {
      sync();
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
      ByteBuffer buf = framer.buffer(total);
      long pos = activeSegment.size();
      try {
        for (PendingWrite w : group) {
          w.assign(nextSequence);
          nextSequence += w.count();
          if (w.count() > 0) {
            framer.frame(buf, w);
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
      observers.offer(group);
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
   * not hold up appends while it forces (see the class comment). Listeners hear of the new durable
   * sequence on this thread, after it.
   *
   * <p>A failed fsync is never retried: Linux may drop the dirty pages whose write-back failed and
   * report the error only once, so a second fsync can succeed while the data is not on disk (the
   * PostgreSQL "fsyncgate" finding). After one, every call throws {@link WalSyncException}; only
   * reopening, which replays what really is on disk, gets a trustworthy log again.
   *
   * @throws WalSyncException if this or an earlier fsync failed
   */
  void sync() throws IOException {
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
      long started = System.nanoTime();
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
        syncFailure =
            new WalSyncException(
                "fsync of the WAL in " + segments.directory() + " failed: " + e, e);
        throw syncFailure;
      } finally {
        syncNanos += System.nanoTime() - started;
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
    observers.synced(durableSequence);
  }

  /**
   * After a {@link WalAppendException}: truncates the active segment to the end of its last
   * complete record and fsyncs it, so that no byte of the failed group can be replayed, and lets
   * appends go on with the group's sequence numbers. A no-op when no append failed. Retried by the
   * caller until it succeeds; never runs concurrently with an append (the caller refuses writes
   * meanwhile) or with a sync (it holds the sync lock).
   */
  void repair() throws IOException {
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

  /** Under {@link #state}. If it fails, the active segment is unchanged. */
  private void rotate() throws IOException {
    // The new file first: a full disk can refuse it, and then we must still be appending to the
    // old segment, not to a closed channel.
    FileChannel next = segments.create(activeSegment.number() + 1);
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

  /** Closes every channel and seals the active segment. Once, with no append or sync running. */
  void closeChannels() throws IOException {
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
  }

  /** Whether an append failed and {@link #repair()} has not yet cut its bytes off. */
  boolean damaged() {
    synchronized (state) {
      return damaged;
    }
  }

  WalSyncException syncFailure() {
    return syncFailure;
  }

  /** The segment being appended to. */
  Segment activeSegment() {
    return activeSegment;
  }

  long unsyncedSinceNanos() {
    return unsyncedSinceNanos;
  }

  long writtenSequence() {
    return writtenSequence;
  }

  long durableSequence() {
    return durableSequence;
  }

  long recordsWritten() {
    return recordsWritten;
  }

  long bytesWritten() {
    return bytesWritten;
  }

  long groupCommits() {
    return groupCommits;
  }

  long syncs() {
    return syncs;
  }

  /** Nanoseconds spent in fsync calls on WAL segments (failed ones included). */
  long syncNanos() {
    return syncNanos;
  }
}
