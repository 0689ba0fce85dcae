package io.kevo.replication.primary;

import io.kevo.engine.WalOperation;
import io.kevo.replication.WalObserver;
import io.kevo.replication.wire.EncodedRecord;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The primary's shared in-memory tail of recent WAL records, fed by the one {@link WalObserver} of
 * the primary, from which every session that keeps up takes what it sends. Thread-safe (one lock).
 *
 * <p>Records are kept encoded as they are sent ({@link EncodedRecord}: each operation's payload and
 * CRC, computed once for all sessions) in one ring of bytes that grows up to the cap and is then
 * reused, with their sequences and places in primitive arrays beside it. So the tail holds no
 * object per record: the engine's records die young instead of being copied from one young
 * collection to the next while they wait to be evicted.
 *
 * <p>Bounded by encoded bytes: the oldest records are evicted first, so a lagging or stalled
 * replica never grows it; such a replica reads the log files instead ({@link
 * io.kevo.replication.WalProvider}). The tail is always contiguous: a record that does not follow
 * the last one (the observer missed some, see {@link #onWalMissed}) empties it first, so "not in
 * the tail" is the only answer for a sequence it cannot serve in order.
 *
 * <p>It also samples when sequences were written (one sample per {@value #SAMPLE_SPACING_MS} ms, up
 * to {@value #SAMPLES} samples), the basis of replicas' lag in milliseconds.
 */
final class WalTail implements WalObserver {
  private static final int SAMPLES = 8192;
  private static final long SAMPLE_SPACING_MS = 10;
  private static final int MAX_RING_BYTES = 1 << 30;
  private static final int SCRATCH_BYTES = 64 << 10;

  private final int limit; // the ring's largest size: the cap, at most MAX_RING_BYTES
  private final Clock clock;
  private final Runnable onAppend;

  // Guarded by this. Bytes live at ring positions [headPos, tailPos); record i (0 = oldest) at
  // [pos[i'], pos[i'] + len[i']) with i' = (head + i) % capacity of the index.
  private Ring ring;
  private volatile long headPos; // written under the lock; bytes below it may be overwritten
  private long tailPos;
  private long[] first = new long[64];
  private long[] pos = new long[64];
  private int[] len = new int[64];
  private int[] count = new int[64];
  private boolean[] batch = new boolean[64];
  private int head;
  private int size;
  private byte[] scratch = new byte[SCRATCH_BYTES];
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
   * @param capBytes the most encoded bytes kept
   * @param onAppend run after each appended record (outside the lock): wakes the sessions
   */
  WalTail(long capBytes, Clock clock, Runnable onAppend) {
    this.limit = (int) Math.min(capBytes, MAX_RING_BYTES);
    this.clock = clock;
    this.onAppend = onAppend;
  }

  @Override
  public void onWalEntryWritten(WalOperation entry) {
    append(List.of(entry), false);
  }

  @Override
  public void onWalBatchWritten(long startSeq, List<WalOperation> entries) {
    append(entries, true);
  }

  /**
   * Inline: the writer itself appends each record, saving a thread hand-off per write. It may: each
   * method holds this tail's lock only to encode one record into the ring (readers hold it only to
   * find a slice and allocate its copy, which they fill after releasing it), and {@code onAppend}
   * only schedules drains.
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

  /**
   * Appends the record of {@code ops} (consecutive sequences; an atomic batch if {@code isBatch}),
   * encoding them straight from the observer's arguments.
   */
  void append(List<WalOperation> ops, boolean isBatch) {
    if (ops.isEmpty()) {
      return;
    }
    long firstSequence = ops.get(0).sequence();
    long lastSequence = ops.get(ops.size() - 1).sequence();
    synchronized (this) {
      if (size > 0 && firstSequence != nextSequence) {
        clear();
        resets++;
      }
      sample(firstSequence);
      long need = EncodedRecord.sizeOf(ops);
      nextSequence = lastSequence + 1;
      records++;
      if (need > limit) {
        // Too big to keep: the tail now starts after it (empty), still contiguous.
        clear();
        nextSequence = lastSequence + 1;
      } else {
        keep(ops, isBatch, firstSequence, (int) need);
      }
    }
    onAppend.run();
  }

  private void keep(List<WalOperation> ops, boolean isBatch, long firstSequence, int n) {
    if (ring == null) {
      ring = new Ring(limit);
    }
    while (tailPos - headPos + n > limit) {
      evictOldest(); // n <= limit: emptying the ring makes room
    }
    // The bytes about to be overwritten were evicted above (headPos moved first): readers that
    // copied them concurrently see that and drop their copy. The fence keeps the new headPos ahead
    // of the overwriting stores, as readers check it after their copy (see from).
    byte[] src = n <= scratch.length ? scratch : new byte[n];
    EncodedRecord.encode(ops, src, 0);
    VarHandle.storeStoreFence();
    ring.write(tailPos, src, n);
    if (size == first.length) {
      growIndex();
    }
    int k = (head + size) % first.length;
    first[k] = firstSequence;
    pos[k] = tailPos;
    len[k] = n;
    count[k] = ops.size();
    batch[k] = isBatch;
    size++;
    tailPos += n;
  }

  /**
   * Records from the one containing {@code sequence} on, up to about {@code maxBytes} of encoding
   * (at least one record), copied out of the ring into one array they share; {@code null} if the
   * tail does not hold {@code sequence} (or evicted it while it was being copied). An empty list
   * means {@code sequence} is the next one to be written: the caller is caught up.
   */
  List<EncodedRecord> from(long sequence, long maxBytes) {
    Ring source;
    long start;
    byte[] data;
    List<EncodedRecord> out = new ArrayList<>();
    synchronized (this) {
      if (size == 0) {
        return sequence == nextSequence && nextSequence != 0 ? List.of() : null;
      }
      if (sequence < first[head] || sequence > nextSequence) {
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
        if (first[slot(mid)] <= sequence) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      int end = lo;
      long taken = 0;
      while (end < size && (end == lo || taken < maxBytes)) {
        taken += len[slot(end)];
        end++;
      }
      source = ring;
      start = pos[slot(lo)];
      data = new byte[(int) taken];
      for (int i = lo; i < end; i++) {
        int k = slot(i);
        out.add(
            new EncodedRecord(first[k], count[k], batch[k], data, (int) (pos[k] - start), len[k]));
      }
    }
    // Copied outside the lock, so that writers never wait for a session's copy. Records are evicted
    // (headPos moves past them) before their bytes are reused, so a copy is whole if, after it,
    // nothing from `start` on has been evicted.
    source.read(start, data);
    VarHandle.acquireFence();
    return headPos <= start ? out : null;
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

  /** Encoded bytes held. */
  synchronized long bytes() {
    return tailPos - headPos;
  }

  synchronized long firstSequence() {
    return size == 0 ? nextSequence : first[head];
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

  private int slot(int i) {
    return (head + i) % first.length;
  }

  private void evictOldest() {
    head = (head + 1) % first.length;
    size--;
    headPos = size == 0 ? tailPos : pos[head];
    evicted++;
  }

  private void clear() {
    head = 0;
    size = 0;
    headPos = tailPos;
    nextSequence = 0;
  }

  private void growIndex() {
    int n = first.length * 2;
    long[] f = new long[n];
    long[] p = new long[n];
    int[] l = new int[n];
    int[] c = new int[n];
    boolean[] b = new boolean[n];
    for (int i = 0; i < size; i++) {
      int k = slot(i);
      f[i] = first[k];
      p[i] = pos[k];
      l[i] = len[k];
      c[i] = count[k];
      b[i] = batch[k];
    }
    first = f;
    pos = p;
    len = l;
    count = c;
    batch = b;
    head = 0;
  }

  /**
   * Bytes at ever-growing positions, kept modulo a capacity of at least the tail's cap, in chunks
   * allocated as positions first reach them and reused from then on. Never copied: a contiguous
   * array that doubled would hold old, copy and new at once. A chunk with its header fills one G1
   * region of 1 MiB (a humongous object, never copied by young collections); with larger regions it
   * is an ordinary object, promoted once. Written under the tail's lock; read by copying, also
   * outside it, of positions written before the reader took the lock.
   */
  private static final class Ring {
    private static final int CHUNK_BYTES = (1 << 20) - 64;

    private final int chunkBytes;
    private final byte[][] chunks;
    private final long capacity;

    Ring(int limit) {
      chunkBytes = Math.max(1, Math.min(CHUNK_BYTES, limit));
      chunks = new byte[(int) Math.max(1, (limit + (long) chunkBytes - 1) / chunkBytes)][];
      capacity = (long) chunks.length * chunkBytes;
    }

    /** Copies {@code src[0, n)} to positions [{@code at}, {@code at + n}). */
    void write(long at, byte[] src, int n) {
      for (int done = 0; done < n; ) {
        long p = (at + done) % capacity;
        int c = (int) (p / chunkBytes);
        int o = (int) (p % chunkBytes);
        int len = Math.min(n - done, chunkBytes - o);
        if (chunks[c] == null) {
          chunks[c] = new byte[chunkBytes];
        }
        System.arraycopy(src, done, chunks[c], o, len);
        done += len;
      }
    }

    /** Copies positions [{@code at}, {@code at + dst.length}) into {@code dst}. */
    void read(long at, byte[] dst) {
      for (int done = 0; done < dst.length; ) {
        long p = (at + done) % capacity;
        int c = (int) (p / chunkBytes);
        int o = (int) (p % chunkBytes);
        int len = Math.min(dst.length - done, chunkBytes - o);
        System.arraycopy(chunks[c], o, dst, done, len);
        done += len;
      }
    }
  }
}
