package io.kevo.replication.primary;

import io.kevo.engine.KevoException;
import io.kevo.engine.WalAccess;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalListener;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalSubscription;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.WalObserver;
import io.kevo.replication.WalProvider;
import io.kevo.replication.wire.EncodedRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link WalProvider} over the engine's {@link WalAccess}. Thread-safe.
 *
 * <p>Why a cursor cache: a lagging session reads the log in slices, and opening a cursor at a
 * sequence scans its segment from the start, so reopening one per slice would read each segment
 * once per slice. A cursor that stopped at sequence N is parked under N and taken by the next
 * request for N. At most {@value #MAX_PARKED} cursors are parked, none longer than {@value
 * #PARK_MILLIS} ms, and a session that ends releases the one at its position (a parked cursor pins
 * the log from its position, which must not outlive the reader and its retention limits).
 */
final class EngineWalProvider implements WalProvider, AutoCloseable {
  private static final int MAX_PARKED = 16;
  private static final long PARK_MILLIS = 2_000;

  private record Parked(WalCursor cursor, long sinceMillis) {}

  private final WalAccess wal;
  private final Clock clock;
  private final Map<String, WalSubscription> subscriptions = new ConcurrentHashMap<>();

  // Guarded by itself; insertion order = age.
  private final LinkedHashMap<Long, Parked> parked = new LinkedHashMap<>();
  private volatile boolean closed;

  EngineWalProvider(WalAccess wal, Clock clock) {
    this.wal = wal;
    this.clock = clock;
  }

  @Override
  public List<WalRecord> getEntriesFrom(long sequenceNumber, long maxBytes) {
    long next = wal.nextSequence();
    if (sequenceNumber > next) {
      throw aheadOfPrimary(sequenceNumber, next);
    }
    WalCursor cursor = unpark(sequenceNumber);
    if (cursor == null) {
      if (sequenceNumber == next) {
        return List.of();
      }
      try {
        cursor = wal.readFrom(sequenceNumber);
      } catch (KevoException e) {
        long first = wal.firstRetainedSequence();
        if (sequenceNumber < first) {
          throw notRetained(sequenceNumber, first, e);
        }
        throw e;
      }
    }
    List<WalRecord> out = new ArrayList<>();
    long bytes = 0;
    long after = sequenceNumber;
    try {
      while ((out.isEmpty() || bytes < maxBytes) && cursor.hasNext()) {
        WalRecord r = cursor.next();
        out.add(r);
        bytes += EncodedRecord.sizeOf(r.operations());
        after = r.lastSequence() + 1;
      }
    } catch (RuntimeException e) {
      cursor.close();
      throw e;
    }
    park(after, cursor);
    return out;
  }

  static ReplicationException notRetained(long requested, long first, Throwable cause) {
    return new ReplicationException(
        ReplicationException.Reason.POSITION_NOT_RETAINED,
        "sequence " + requested + " is no longer retained: the log starts at " + first,
        first,
        cause);
  }

  static ReplicationException aheadOfPrimary(long requested, long next) {
    return new ReplicationException(
        ReplicationException.Reason.AHEAD_OF_PRIMARY,
        "sequence " + requested + " is beyond the primary's next sequence " + next,
        next,
        null);
  }

  @Override
  public long getNextSequence() {
    return wal.nextSequence();
  }

  @Override
  public void registerObserver(String id, WalObserver observer) {
    WalListener listener =
        new WalListener() {
          @Override
          public void onRecord(WalRecord record) {
            if (record.batch()) {
              observer.onWalBatchWritten(record.firstSequence(), record.operations());
            } else {
              observer.onWalEntryWritten(record.operations().get(0));
            }
          }

          @Override
          public void onSync(long durableSequence) {
            observer.onWalSync(durableSequence);
          }

          @Override
          public void onMissed(long fromSequence, long toSequence) {
            observer.onWalMissed(fromSequence, toSequence);
          }
        };
    WalSubscription s =
        observer.inline() ? wal.subscribeInline(listener) : wal.subscribe(id, listener);
    WalSubscription old = subscriptions.put(id, s);
    if (old != null) {
      old.close();
    }
  }

  @Override
  public void unregisterObserver(String id) {
    WalSubscription s = subscriptions.remove(id);
    if (s != null) {
      s.close();
    }
  }

  private WalCursor unpark(long sequence) {
    synchronized (parked) {
      expire();
      Parked p = parked.remove(sequence);
      return p == null ? null : p.cursor();
    }
  }

  private void park(long sequence, WalCursor cursor) {
    synchronized (parked) {
      if (closed) {
        cursor.close();
        return;
      }
      Parked old = parked.put(sequence, new Parked(cursor, clock.millis()));
      if (old != null) {
        old.cursor().close();
      }
      while (parked.size() > MAX_PARKED) {
        Iterator<Parked> it = parked.values().iterator();
        it.next().cursor().close();
        it.remove();
      }
    }
  }

  private void expire() {
    long now = clock.millis();
    Iterator<Parked> it = parked.values().iterator();
    while (it.hasNext()) {
      Parked p = it.next();
      if (now - p.sinceMillis() <= PARK_MILLIS) {
        break;
      }
      p.cursor().close();
      it.remove();
    }
  }

  /** Closes the cursor parked at {@code sequence}, if any (its reader is gone). */
  void release(long sequence) {
    synchronized (parked) {
      Parked p = parked.remove(sequence);
      if (p != null) {
        p.cursor().close();
      }
    }
  }

  /** Closes parked cursors that are too old (called periodically). */
  void expireParked() {
    synchronized (parked) {
      expire();
    }
  }

  /** Unregisters every observer and closes parked cursors. Idempotent. */
  @Override
  public void close() {
    for (String id : List.copyOf(subscriptions.keySet())) {
      unregisterObserver(id);
    }
    synchronized (parked) {
      closed = true;
      for (Parked p : parked.values()) {
        p.cursor().close();
      }
      parked.clear();
    }
  }
}
