package io.kevo.engine.internal;

import io.kevo.engine.KevoCursor;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.ReadCeiling;
import io.kevo.engine.ReadOptions;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.Snapshot;
import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import io.kevo.engine.internal.iter.MergingIterator;
import io.kevo.engine.internal.iter.SequenceFilter;
import io.kevo.engine.internal.iter.SortedMapIterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;

/**
 * The read entry points: point reads, cursors and scans, snapshots, and a transaction's merged
 * view. Each takes a reference-counted {@link ReadView} from {@link LsmState}, then the sequence to
 * read at (a snapshot's, or the {@link VisibleSequence} capped by the {@link ReadLimit} and raised
 * to a read-your-writes token) — in that order, so the view holds everything up to that sequence.
 *
 * <p>Thread-safe: called by any number of threads at once, never waiting for writers or the
 * background (taking a snapshot or installing a read ceiling holds a short monitor of its own); a
 * cursor releases its view when closed.
 */
final class Reads {
  private final Lifecycle lifecycle;
  private final LsmState lsm;
  private final Snapshots snapshots;
  private final ReadLimit readLimit;
  private final VisibleSequence visible;
  private final WriteLimits limits;
  private final WriteCounters counters;

  Reads(
      Lifecycle lifecycle,
      LsmState lsm,
      Snapshots snapshots,
      ReadLimit readLimit,
      VisibleSequence visible,
      WriteLimits limits,
      WriteCounters counters) {
    this.lifecycle = lifecycle;
    this.lsm = lsm;
    this.snapshots = snapshots;
    this.readLimit = readLimit;
    this.visible = visible;
    this.limits = limits;
    this.counters = counters;
  }

  private long readSequence(ReadOptions ro) {
    return ro.snapshot() != null
        ? snapshots.sequenceOf(ro.snapshot())
        : readSequence(ro.minSequence());
  }

  /** Where a read without a snapshot, with read-your-writes {@code token} (0: none), reads now. */
  long readSequence(long token) {
    return readLimit.sequence(visible.get(), token);
  }

  /** See {@link io.kevo.engine.KevoDB#readCeiling}. */
  void readCeiling(ReadCeiling c) {
    readLimit.install(c, visible.get());
  }

  byte[] get(byte[] key, ReadOptions ro) {
    lifecycle.checkOpen();
    limits.checkKey(key);
    counters.gotten();
    ReadView view = lsm.acquireView();
    try {
      return ReadPath.get(view, key, readSequence(ro), counters);
    } finally {
      view.unref();
    }
  }

  KevoCursor cursor(ScanOptions scan, ReadOptions ro) {
    lifecycle.checkOpen();
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

  KevoIterator scan(ScanOptions scan, ReadOptions ro) {
    KevoCursor c = cursor(scan, ro);
    if (scan.reverse()) {
      c.seekToLast();
    } else {
      c.seekToFirst();
    }
    return new ScanIterator(c, scan.reverse());
  }

  Snapshot snapshot(long token) {
    lifecycle.checkOpen();
    return snapshots.take(token);
  }

  /**
   * A cursor over a transaction's view: its buffered writes ranked above everything, over the
   * committed state at {@code snapshotSequence}.
   */
  KevoCursor transactionCursor(
      ScanOptions scan,
      long snapshotSequence,
      NavigableMap<byte[], byte[]> writes,
      byte[] deleted) {
    lifecycle.checkOpen();
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
}
