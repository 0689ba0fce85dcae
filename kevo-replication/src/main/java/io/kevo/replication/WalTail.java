package io.kevo.replication;

import io.kevo.engine.OpType;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The primary's shared in-memory tail of recent WAL records, fed by the one {@link WalObserver} of
 * the primary, from which every session that keeps up takes what it sends. Thread-safe (one lock).
 *
 * <p>Bounded by payload bytes: the oldest records are evicted first, so a lagging or stalled
 * replica never grows it; such a replica reads the log files instead ({@link WalProvider}). The
 * tail is always contiguous: a record that does not follow the last one (the observer missed some,
 * see {@link #onWalMissed}) empties it first, so "not in the tail" is the only answer for a
 * sequence it cannot serve in order.
 *
 * <p>It also samples when sequences were written (one sample per {@value #SAMPLE_SPACING_MS} ms, up
 * to {@value #SAMPLES} samples), the basis of replicas' lag in milliseconds.
 */
final class WalTail implements WalObserver {
  /** Per-record bookkeeping counted against the byte cap besides keys and values. */
  static final int RECORD_OVERHEAD = 64;

  private static final int SAMPLES = 8192;
  private static final long SAMPLE_SPACING_MS = 10;

  private final long capBytes;
  private final Clock clock;
  private final Runnable onAppend;

  // Guarded by this: a ring of records, oldest at head.
  private WalRecord[] ring = new WalRecord[64];
  private int head;
  private int size;
  private long bytes;
  private long nextSequence; // the sequence after the last record, 0 when empty and unknown
  private long records;
  private long evicted;
  private long resets;

  // Guarded by this: ring of (first sequence, write time ms) samples, oldest at sampleHead.
  private final long[] sampleSeq = new long[SAMPLES];
  private final long[] sampleMs = new long[SAMPLES];
  private int sampleHead;
  private int sampleCount;

  /**
   * @param onAppend run after each appended record (outside the lock): wakes the sessions
   */
  WalTail(long capBytes, Clock clock, Runnable onAppend) {
    this.capBytes = capBytes;
    this.clock = clock;
    this.onAppend = onAppend;
  }

  static long bytesOf(WalRecord r) {
    long n = 0;
    for (WalOperation op : r.operations()) {
      n += RECORD_OVERHEAD + op.key().length + (op.type() == OpType.PUT ? op.value().length : 0);
    }
    return n;
  }

  @Override
  public void onWalEntryWritten(WalOperation entry) {
    append(new WalRecord(List.of(entry), false));
  }

  @Override
  public void onWalBatchWritten(long startSeq, List<WalOperation> entries) {
    append(new WalRecord(entries, true));
  }

  /**
   * Inline: the writer itself appends each record, saving a thread hand-off per write. It may: each
   * method holds this tail's lock only for a few field updates (readers hold it only to copy out a
   * slice of references), and {@code onAppend} only schedules drains.
   */
  @Override
  public boolean inline() {
    return true;
  }

  @Override
  public void onWalSync(long upToSeq) {
    // Records are sent once written; syncs do not change what the tail holds.
  }

  @Override
  public void onWalMissed(long fromSeq, long toSeq) {
    synchronized (this) {
      clear();
      resets++;
    }
    onAppend.run(); // sessions waiting on the tail must now read the log files
  }

  void append(WalRecord r) {
    synchronized (this) {
      if (size > 0 && r.firstSequence() != nextSequence) {
        clear();
        resets++;
      }
      sample(r.firstSequence());
      long b = bytesOf(r);
      nextSequence = r.lastSequence() + 1;
      records++;
      if (b > capBytes) {
        // Too big to keep: the tail now starts after it (empty), still contiguous.
        clear();
        nextSequence = r.lastSequence() + 1;
      } else {
        while (size > 0 && bytes + b > capBytes) {
          evictOldest();
        }
        if (size == ring.length) {
          grow();
        }
        ring[(head + size) % ring.length] = r;
        size++;
        bytes += b;
      }
    }
    onAppend.run();
  }

  /**
   * Records from the one containing {@code sequence} on, up to about {@code maxBytes} (at least one
   * record), or {@code null} if the tail does not hold {@code sequence}. An empty list means {@code
   * sequence} is the next one to be written: the caller is caught up.
   */
  synchronized List<WalRecord> from(long sequence, long maxBytes) {
    if (size == 0) {
      return sequence == nextSequence && nextSequence != 0 ? List.of() : null;
    }
    if (sequence < ring[head].firstSequence() || sequence > nextSequence) {
      return null;
    }
    if (sequence == nextSequence) {
      return List.of();
    }
    // Binary search for the last record starting at or before `sequence`.
    int lo = 0;
    int hi = size - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (at(mid).firstSequence() <= sequence) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    List<WalRecord> out = new ArrayList<>();
    long taken = 0;
    for (int i = lo; i < size && (out.isEmpty() || taken < maxBytes); i++) {
      WalRecord r = at(i);
      out.add(r);
      taken += bytesOf(r);
    }
    return out;
  }

  /**
   * When {@code sequence} (or the first sampled sequence after it) was written, in clock millis;
   * the oldest sample's time if {@code sequence} is older than every sample (a lower bound of its
   * age); -1 if nothing at or after it was sampled.
   */
  synchronized long writtenAtMillis(long sequence) {
    if (sampleCount == 0) {
      return -1;
    }
    for (int i = 0; i < sampleCount; i++) {
      int k = (sampleHead + i) % SAMPLES;
      if (sampleSeq[k] >= sequence) {
        // Between two samples, `sequence` was written after the earlier one: report that time
        // (lag over-estimated by at most the sample spacing).
        if (sampleSeq[k] > sequence && i > 0) {
          int p = (sampleHead + i - 1) % SAMPLES;
          return sampleMs[p];
        }
        return sampleMs[k];
      }
    }
    return sampleMs[(sampleHead + sampleCount - 1) % SAMPLES];
  }

  /** Sets where an empty tail starts (the log's next sequence when the observer registered). */
  synchronized void startAt(long next) {
    if (size == 0 && nextSequence == 0) {
      nextSequence = next;
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long firstSequence() {
    return size == 0 ? nextSequence : ring[head].firstSequence();
  }

  synchronized long records() {
    return records;
  }

  synchronized long evicted() {
    return evicted;
  }

  synchronized long resets() {
    return resets;
  }

  private void sample(long sequence) {
    long now = clock.millis();
    if (sampleCount > 0
        && now - sampleMs[(sampleHead + sampleCount - 1) % SAMPLES] < SAMPLE_SPACING_MS) {
      return;
    }
    if (sampleCount == SAMPLES) {
      sampleHead = (sampleHead + 1) % SAMPLES;
      sampleCount--;
    }
    int k = (sampleHead + sampleCount) % SAMPLES;
    sampleSeq[k] = sequence;
    sampleMs[k] = now;
    sampleCount++;
  }

  private WalRecord at(int i) {
    return ring[(head + i) % ring.length];
  }

  private void evictOldest() {
    WalRecord r = ring[head];
    ring[head] = null;
    head = (head + 1) % ring.length;
    size--;
    bytes -= bytesOf(r);
    evicted++;
  }

  private void clear() {
    for (int i = 0; i < size; i++) {
      ring[(head + i) % ring.length] = null;
    }
    head = 0;
    size = 0;
    bytes = 0;
    nextSequence = 0;
  }

  private void grow() {
    WalRecord[] bigger = new WalRecord[ring.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = at(i);
    }
    ring = bigger;
    head = 0;
  }
}
