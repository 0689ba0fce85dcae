package io.kevo.engine.internal.wal;

import io.kevo.engine.WalListener;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalSubscription;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers WAL events to one {@link WalListener} on its own thread through a bounded queue.
 *
 * <p>Why a queue and a thread per listener: the writer must never wait for a listener (a stalled
 * replica connection must not stall commits) and must not run listener code while it owns the log
 * (a listener calling back into the database would deadlock). The writer only offers to the queue;
 * when the queue is full (by count or bytes) the record is dropped and remembered as a missed
 * range, delivered in order as {@link WalListener#onMissed} so the listener can read it from the
 * log. Sync notifications are level-triggered: the thread reports the durable sequence, capped at
 * what it has delivered, whenever it moved.
 *
 * <p>Stopped with a flag and a bounded poll, never by interrupting (the listener may be doing file
 * I/O, which an interrupt would break by closing its channel).
 */
final class ListenerDispatcher implements WalSubscription {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);
  private static final int QUEUE_RECORDS = 16 * 1024;
  private static final long QUEUE_BYTES = 64L << 20;
  private static final Object SYNC = new Object();

  private record Missed(long from, long to) {}

  private record Queued(WalRecord record, long bytes) {}

  private final String name;
  private final WalListener listener;
  private final WalObservers owner;
  private final LongSupplier durableSequence;
  private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_RECORDS);
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  // Guarded by this: the range dropped since the last successful offer.
  private long missedFrom;
  private long missedTo;

  // Owned by the delivery thread.
  private long deliveredUpTo;
  private long syncReported;

  ListenerDispatcher(
      String name,
      WalListener listener,
      WalObservers owner,
      LongSupplier durableSequence,
      long startAfter) {
    this.name = name;
    this.listener = listener;
    this.owner = owner;
    this.durableSequence = durableSequence;
    this.deliveredUpTo = startAfter;
    this.syncReported = Math.min(startAfter, durableSequence.getAsLong());
    this.thread = new Thread(this::run, "kevo-wal-listener-" + name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The writer, under the log's lock: never blocks. */
  synchronized void offerRecord(WalRecord r, long bytes) {
    if (closed) {
      return;
    }
    if (missedFrom != 0) {
      if (!queue.offer(new Missed(missedFrom, missedTo))) {
        missedTo = r.lastSequence();
        return;
      }
      missedFrom = 0;
    }
    if (queuedBytes.get() + bytes > QUEUE_BYTES || !queue.offer(new Queued(r, bytes))) {
      missedFrom = r.firstSequence();
      missedTo = r.lastSequence();
      return;
    }
    queuedBytes.addAndGet(bytes);
  }

  /**
   * The thread that ran a sync: the durable sequence moved. Never blocks; a full queue defers the
   * report.
   */
  void syncAdvanced() {
    queue.offer(SYNC);
  }

  /** Delivery side: a missed range with nothing queued before it, or null. */
  private synchronized Missed takeMissedIfIdle() {
    if (missedFrom == 0 || !queue.isEmpty()) {
      return null;
    }
    Missed m = new Missed(missedFrom, missedTo);
    missedFrom = 0;
    return m;
  }

  private void run() {
    while (!closed) {
      Object e;
      try {
        e = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        if (e instanceof Queued q) {
          queuedBytes.addAndGet(-q.bytes());
          listener.onRecord(q.record());
          deliveredUpTo = q.record().lastSequence();
        } else if (e instanceof Missed m) {
          listener.onMissed(m.from(), m.to());
          deliveredUpTo = m.to();
        } else if (e == null) {
          Missed m = takeMissedIfIdle();
          if (m != null) {
            listener.onMissed(m.from(), m.to());
            deliveredUpTo = m.to();
          }
        }
        long durable = Math.min(durableSequence.getAsLong(), deliveredUpTo);
        if (durable > syncReported) {
          syncReported = durable;
          listener.onSync(durable);
        }
      } catch (RuntimeException ex) {
        LOG.warn("WAL listener {} threw; continuing", name, ex);
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    owner.unsubscribe(this);
    if (Thread.currentThread() != thread) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
