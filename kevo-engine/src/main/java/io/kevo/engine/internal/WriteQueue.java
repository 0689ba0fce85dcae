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

  private static final class Waiter {
    final PendingWrite write;
    final Condition turn;
    boolean done;
    Throwable error;

    Waiter(PendingWrite write, Condition turn) {
      this.write = write;
      this.turn = turn;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private final GroupCommitter committer;

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
    Waiter me = new Waiter(write, lock.newCondition());
    List<Waiter> group;
    List<PendingWrite> writes;
    boolean sync = false;
    lock.lock();
    try {
      queue.addLast(me);
      while (!me.done && queue.peekFirst() != me) {
        me.turn.awaitUninterruptibly();
      }
      if (me.done) {
        if (me.error != null) {
          throwUnchecked(me.error);
        }
        return;
      }
      group = new ArrayList<>(Math.min(queue.size(), 64));
      writes = new ArrayList<>(Math.min(queue.size(), 64));
      long bytes = 0;
      for (Waiter w : queue) {
        long size = w.write.framedSize();
        if (!group.isEmpty() && bytes + size > MAX_GROUP_BYTES) {
          break;
        }
        group.add(w);
        writes.add(w.write);
        bytes += size;
        sync |= w.write.sync();
      }
    } finally {
      lock.unlock();
    }
    Throwable error = null;
    try {
      committer.commit(writes, sync);
    } catch (Throwable t) {
      error = t;
    }
    lock.lock();
    try {
      for (Waiter w : group) {
        queue.pollFirst();
        if (w != me) {
          w.error = error != null ? error : w.write.rejection();
          w.done = true;
          w.turn.signal();
        }
      }
      Waiter nextLeader = queue.peekFirst();
      if (nextLeader != null) {
        nextLeader.turn.signal();
      }
    } finally {
      lock.unlock();
    }
    if (error != null) {
      throwUnchecked(error);
    }
    if (write.rejection() != null) {
      throw write.rejection();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
    throw (T) t;
  }
}
