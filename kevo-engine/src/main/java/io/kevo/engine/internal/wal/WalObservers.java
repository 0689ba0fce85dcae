package io.kevo.engine.internal.wal;

import io.kevo.engine.WalListener;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalSubscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the WAL's tail to its listeners: records as they are appended, and the durable sequence as
 * syncs move it.
 *
 * <p>Two kinds of listener, on different threads:
 *
 * <ul>
 *   <li>queued listeners ({@link #subscribe}): each gets its own {@link ListenerDispatcher}, whose
 *       thread delivers; the writer only offers to the dispatcher's bounded queue, under the log's
 *       lock, and never waits;
 *   <li>inline listeners ({@link #subscribeInline}): called directly on the writer's thread — the
 *       group-commit leader, an application thread — right after each append and outside the log's
 *       lock, in log order (the next leader appends only after this one returns); their {@code
 *       onSync} runs on whichever thread ran the sync (the leader, the batch syncer, or a {@code
 *       syncWal} caller). They must be quick and must never wait for the writer. Replication's
 *       in-memory tail is one.
 * </ul>
 *
 * <p>Thread-safe: the listener lists are copy-on-write, so subscribing and unsubscribing from any
 * thread never blocks the writer. A listener that throws is logged and kept.
 */
final class WalObservers {
  private static final Logger LOG = LoggerFactory.getLogger(WalObservers.class);

  private final CopyOnWriteArrayList<ListenerDispatcher> dispatchers = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<WalListener> inline = new CopyOnWriteArrayList<>();
  private final LongSupplier durableSequence;

  /**
   * @param durableSequence the log's durable sequence, read by the dispatchers' threads
   */
  WalObservers(LongSupplier durableSequence) {
    this.durableSequence = durableSequence;
  }

  /** A queued listener fed with the records after {@code startAfter}, on its own thread. */
  WalSubscription subscribe(String name, WalListener listener, long startAfter) {
    ListenerDispatcher d =
        new ListenerDispatcher(name, listener, this, durableSequence, startAfter);
    dispatchers.add(d);
    d.start();
    return d;
  }

  /** An inline listener, called on the writer's thread (see the class comment). */
  WalSubscription subscribeInline(WalListener listener) {
    inline.add(listener);
    return () -> inline.remove(listener);
  }

  void unsubscribe(ListenerDispatcher d) {
    dispatchers.remove(d);
  }

  /**
   * Writer, under the log's lock, once all of the group's bytes were written: offers its records to
   * every queued listener. Never blocks (a full queue drops the record as a missed range).
   */
  void offer(List<PendingWrite> group) {
    if (dispatchers.isEmpty()) {
      return;
    }
    for (PendingWrite w : group) {
      if (w.count() > 0) {
        WalRecord r = w.toRecord();
        for (ListenerDispatcher d : dispatchers) {
          d.offerRecord(r, w.dataSize());
        }
      }
    }
  }

  boolean hasInline() {
    return !inline.isEmpty();
  }

  /**
   * Writer, after the append and outside the log's lock: the inline listeners get the group's
   * records, on this thread, in log order.
   */
  void feedInline(List<PendingWrite> group) {
    for (PendingWrite w : group) {
      if (w.count() > 0) {
        WalRecord r = w.toRecord();
        for (WalListener l : inline) {
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
   * The thread that ran a sync, after it: the durable sequence moved to {@code durable}. Queued
   * listeners are woken to report it; inline listeners are told here.
   */
  void synced(long durable) {
    for (ListenerDispatcher d : dispatchers) {
      d.syncAdvanced();
    }
    for (WalListener l : inline) {
      try {
        l.onSync(durable);
      } catch (RuntimeException e) {
        LOG.warn("inline WAL listener threw; continuing", e);
      }
    }
  }

  /** Stops every queued listener's thread and drops the inline listeners. */
  void close() {
    for (ListenerDispatcher d : dispatchers) {
      d.close();
    }
    inline.clear();
  }
}
