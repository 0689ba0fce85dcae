package io.kevo.engine.internal;

import io.kevo.engine.Checkpoint;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.KeyRange;
import io.kevo.engine.RetentionHold;
import io.kevo.engine.internal.compaction.Background;
import io.kevo.engine.internal.version.VersionSet;
import io.kevo.engine.internal.wal.Wal;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrative operations that wait for background work: flush, manual compaction and
 * checkpoints.
 *
 * <p>Thread-safe: runs on the caller's thread, which blocks until the {@link Background} worker has
 * done the job; the work itself is done by that worker (and the flush marker by the write leader),
 * never here. Any number of callers may wait at once.
 */
final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  private final Path dir;
  private final Lifecycle lifecycle;
  private final WritePath writes;
  private final VisibleSequence visible;
  private final VersionSet versions;
  private final LsmState lsm;
  private final Background background;
  private final Wal wal;

  Maintenance(
      Path dir,
      Lifecycle lifecycle,
      WritePath writes,
      VisibleSequence visible,
      VersionSet versions,
      LsmState lsm,
      Background background,
      Wal wal) {
    this.dir = dir;
    this.lifecycle = lifecycle;
    this.writes = writes;
    this.visible = visible;
    this.versions = versions;
    this.lsm = lsm;
    this.background = background;
    this.wal = wal;
  }

  /** Freezes the memtable and waits until everything written so far is in SSTables. */
  void flush() {
    writes.checkWritable();
    long target = visible.get();
    if (target <= versions.persistedSequence()) {
      return;
    }
    lsm.requestSwitch();
    writes.syncMarker();
    try {
      lsm.awaitPersisted(target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KevoException(ErrorCode.IO_ERROR, "interrupted while waiting for a flush", e);
    }
  }

  /** Flushes, then compacts every level's files overlapping {@code [from, to]} (null = open). */
  void compactRange(byte[] from, byte[] to) {
    flush();
    await(background.compactRange(from, to), "compacting");
  }

  private static void await(java.util.concurrent.Future<Void> job, String what) {
    try {
      job.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KevoException(ErrorCode.IO_ERROR, "interrupted while " + what, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof KevoException k) {
        throw k;
      }
      throw new KevoException(ErrorCode.IO_ERROR, what + " failed: " + c, c);
    }
  }

  /**
   * Makes the database keep only the keys of {@code range}: records it durably ({@link
   * RetainedRangeFile}), so that every later flush and compaction drops the keys outside it, then
   * flushes, drops the tables holding only keys outside it (no I/O but a manifest edit) and
   * compacts the tables astride its bounds, so that none of the keys outside is left on disk when
   * this returns. Reads of those keys meanwhile may see any of their versions, or none: the caller
   * no longer serves them.
   */
  void retainOnly(KeyRange range) {
    writes.checkWritable();
    try {
      RetainedRangeFile.write(dir, range);
    } catch (java.io.IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "recording the retained range: " + e, e);
    }
    background.retain(range);
    LOG.info("{} keeps only the keys {} from now on", dir, range);
    flush();
    await(background.discardOutside(), "discarding the tables outside " + range);
    byte[] start = range.start();
    if (start.length > 0) {
      compactRange(null, start);
    }
    if (range.end() != null) {
      compactRange(range.end(), null);
    }
  }

  /**
   * A checkpoint: holds the whole WAL first (so nothing after the sequence it will cover can be
   * trimmed in between), flushes, pins the version with its persisted sequence S, then narrows the
   * hold to S + 1.
   */
  Checkpoint checkpoint(KeyRange range) {
    lifecycle.checkOpen();
    RetentionHold hold = wal.retain(0);
    try {
      flush();
      VersionSet.Pinned pinned = versions.pinForCheckpoint(range);
      hold.advanceTo(pinned.persistedSequence() + 1);
      CheckpointImpl c = new CheckpointImpl(pinned, hold);
      LOG.info(
          "checkpoint of {}{} at sequence {}: {} files, {} bytes",
          dir,
          range.isAll() ? "" : " for keys " + range,
          c.sequence(),
          c.files().size(),
          c.totalBytes());
      return c;
    } catch (RuntimeException e) {
      hold.close();
      throw e;
    }
  }
}
