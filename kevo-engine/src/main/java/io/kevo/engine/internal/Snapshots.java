package io.kevo.engine.internal;

import io.kevo.engine.Snapshot;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The open snapshots, as a multiset of sequences. Creating a snapshot and computing the oldest
 * sequence a flush or compaction must preserve are serialized, so a snapshot can never be taken at
 * a sequence a concurrent compaction already decided nobody needs. Thread-safe.
 */
final class Snapshots {
  private final TreeMap<Long, Integer> open = new TreeMap<>();
  private final LongUnaryOperator readAt;

  /**
   * @param readAt the sequence a read with a given read-your-writes token (0: none) reads at now
   *     (see {@link ReadLimit}); never decreasing for a given token
   */
  Snapshots(LongUnaryOperator readAt) {
    this.readAt = readAt;
  }

  /** A snapshot where a read with read-your-writes {@code token} (0: none) reads now. */
  synchronized Snapshot take(long token) {
    long seq = readAt.applyAsLong(token);
    open.merge(seq, 1, Integer::sum);
    return new Handle(seq);
  }

  /** The lowest sequence any reader may still read at. */
  synchronized long oldest() {
    // A snapshot taken with a token may be above where plain reads read: both bound it.
    long reads = readAt.applyAsLong(0);
    return open.isEmpty() ? reads : Math.min(reads, open.firstKey());
  }

  synchronized int count() {
    int n = 0;
    for (int c : open.values()) {
      n += c;
    }
    return n;
  }

  /**
   * The sequence to read {@code s} at.
   *
   * @throws KevoException if {@code s} is closed or belongs to another database
   */
  long sequenceOf(Snapshot s) {
    if (!(s instanceof Handle h) || h.owner() != this) {
      throw new io.kevo.engine.KevoException(
          io.kevo.engine.ErrorCode.INVALID_ARGUMENT, "the snapshot belongs to another database");
    }
    synchronized (h) {
      if (h.closed) {
        throw new io.kevo.engine.KevoException(
            io.kevo.engine.ErrorCode.INVALID_ARGUMENT,
            "the snapshot at sequence " + h.seq + " is closed");
      }
    }
    return h.seq;
  }

  private synchronized void release(long seq) {
    open.computeIfPresent(seq, (k, c) -> c == 1 ? null : c - 1);
  }

  private final class Handle implements Snapshot {
    private final long seq;
    private boolean closed;

    Handle(long seq) {
      this.seq = seq;
    }

    Snapshots owner() {
      return Snapshots.this;
    }

    @Override
    public long sequence() {
      return seq;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      release(seq);
    }
  }
}
