package io.kevo.engine.internal;

import io.kevo.engine.internal.wal.PendingWrite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit by leader election (the LevelDB/RocksDB scheme): callers queue their write; the one
 * at the head becomes the leader, takes every queued write up to a byte budget, commits them with
 * one WAL write (and at most one fsync) outside the lock, then wakes the writes it carried and the
 * next head. While the leader is in the system call, newcomers pile up behind it and form the next
 * group, so the more concurrent writers there are, the more each fsync is shared. A lone writer
 * never hands off to another thread.
 *
 * <p>Thread-safe. Exactly one leader commits at a time, in queue order, which is what makes the WAL
 * single-writer and sequence numbers follow commit order.
 */
final class WriteQueue {
  /** Commits a group; called by one leader at a time. */
  interface GroupCommitter {
    void commit(List<PendingWrite> group, boolean sync) throws Exception;
  }

  /** Once the group holds this many bytes, later writes wait for the next group. */
  private static final long MAX_GROUP_BYTES = 1L << 20;

  /** How long a queued writer yields the processor before it parks. */
  private static final long SPIN_NANOS = 100_000;

  /** Bounds of {@link #spinCredit}. */
  private static final int MAX_CREDIT = 16;

  private static final int MIN_CREDIT = -8;

  private static final class Waiter {
    /** One caller's writes, committed together in one group, in order. */
    final List<PendingWrite> writes;

    final Condition turn;

    /** Set (under the lock) once a leader committed these writes or refused them. */
    volatile boolean done;

    /** Set (under the lock) when this waiter reached the head of the queue: it leads next. */
    volatile boolean head;

    Throwable error;

    Waiter(List<PendingWrite> writes, Condition turn) {
      this.writes = writes;
      this.turn = turn;
    }

    long framedSize() {
      long n = 0;
      for (PendingWrite w : writes) {
        n += w.framedSize();
      }
      return n;
    }

    boolean sync() {
      for (PendingWrite w : writes) {
        if (w.sync()) {
          return true;
        }
      }
      return false;
    }

    /** The first of this caller's writes the committer rejected, or null. */
    RuntimeException rejection() {
      for (PendingWrite w : writes) {
        if (w.rejection() != null) {
          return w.rejection();
        }
      }
      return null;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private final GroupCommitter committer;

  /**
   * Whether waiting writers spin before they park (guarded by {@link #lock}): up by one for each
   * spell that ended with the writer done or leading, down by two for each that timed out; writers
   * spin while it is not negative, and one in 256 spins anyway so that it can recover. Why spin: a
   * parked writer costs a futex wake-up and a scheduling delay on each hand-off, and with writes of
   * a few microseconds those delays, not the work, bound the throughput (RocksDB's write thread
   * yields adaptively for the same reason). When groups wait for an fsync of a millisecond or more,
   * spinning fails and stops.
   */
  private int spinCredit;

  private int spinTicket;

  WriteQueue(GroupCommitter committer) {
    this.committer = committer;
  }

  /**
   * Commits {@code write}, alone or in a group; returns once it is in the WAL (durable if the group
   * synced) and applied.
   *
   * @throws Exception what the committer threw for this write's group, or the reason the committer
   *     rejected this write alone ({@link PendingWrite#rejection()})
   */
  void submit(PendingWrite write) throws Exception {
    submitAll(List.of(write));
  }

  /**
   * Commits {@code writes} in order within one group (a leader never splits a caller's writes),
   * returning once all are in the WAL and applied. Each is screened by the committer on its own: if
   * some are rejected, the first rejection is thrown and the others may have been committed.
   */
  void submitAll(List<PendingWrite> writes) throws Exception {
    Waiter me = new Waiter(writes, lock.newCondition());
    List<Waiter> group;
    List<PendingWrite> batch;
    boolean sync = false;
    lock.lock();
    try {
      queue.addLast(me);
      me.head = queue.peekFirst() == me;
      if (!me.head && (spinCredit >= 0 || (++spinTicket & 255) == 0)) {
        lock.unlock();
        boolean arrived;
        try {
          arrived = spinWait(me);
        } finally {
          lock.lock();
        }
        spinCredit =
            arrived ? Math.min(spinCredit + 1, MAX_CREDIT) : Math.max(spinCredit - 2, MIN_CREDIT);
      }
      while (!me.done && !me.head) {
        me.turn.awaitUninterruptibly();
      }
      if (me.done) {
        if (me.error != null) {
          throwUnchecked(me.error);
        }
        return;
      }
      group = new ArrayList<>(Math.min(queue.size(), 64));
      batch = new ArrayList<>(Math.min(queue.size(), 64));
      long bytes = 0;
      for (Waiter w : queue) {
        long size = w.framedSize();
        if (!group.isEmpty() && bytes + size > MAX_GROUP_BYTES) {
          break;
        }
        group.add(w);
        batch.addAll(w.writes);
        bytes += size;
        sync |= w.sync();
      }
    } finally {
      lock.unlock();
    }
    Throwable error = null;
    try {
      committer.commit(batch, sync);
    } catch (Throwable t) {
      error = t;
    }
    lock.lock();
    try {
      for (Waiter w : group) {
        queue.pollFirst();
        if (w != me) {
          w.error = error != null ? error : w.rejection();
          w.done = true;
          w.turn.signal();
        }
      }
      Waiter nextLeader = queue.peekFirst();
      if (nextLeader != null) {
        nextLeader.head = true;
        nextLeader.turn.signal();
      }
    } finally {
      lock.unlock();
    }
    if (error != null) {
      throwUnchecked(error);
    }
    RuntimeException rejected = me.rejection();
    if (rejected != null) {
      throw rejected;
    }
  }

  /**
   * Yields the processor until the waiter is done or leads, for at most {@link #SPIN_NANOS};
   * whether it got there.
   */
  private static boolean spinWait(Waiter me) {
    long deadline = System.nanoTime() + SPIN_NANOS;
    while (System.nanoTime() - deadline < 0) {
      if (me.done || me.head) {
        return true;
      }
      Thread.yield();
    }
    return me.done || me.head;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
    throw (T) t;
  }
}
