package io.kevo.engine.internal.lock;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive key locks for pessimistic transactions.
 *
 * <p>A lock is held by one {@link LockOwner} (re-entrant: locking a key it holds again is free)
 * until {@link #releaseAll}. A transaction that asks for a key held by another waits in the key's
 * FIFO queue; a released key is handed to the first waiter directly, so waiters are served in order
 * and none is starved by newcomers. A wait ends with the lock, or with {@link
 * ErrorCode#LOCK_TIMEOUT} (the timeout passed, or the thread was interrupted), {@link
 * ErrorCode#DEADLOCK} or {@link ErrorCode#CLOSED}.
 *
 * <p>Deadlocks: every waiting transaction waits for exactly one key, held by exactly one owner, so
 * the wait-for graph is a set of chains. Before each wait (and again after each wake-up without the
 * lock) the waiter follows the chain from the key's holder; if it comes back to the waiter, the
 * waiter is the transaction that closes the cycle and fails at once, leaving the others waiting.
 * The last transaction of a cycle to start waiting always finds it: the others, waiting, can
 * neither take nor release a key, so the cycle is whole when it starts waiting.
 *
 * <p>Thread-safe: one {@link ReentrantLock} guards every lock, queue and owner, so the graph is
 * read consistently; it is held only for map and queue updates and the chain walk, never while
 * waiting. Close wakes every waiter (who fails with {@code CLOSED}) and forgets every lock;
 * idempotent.
 */
public final class LockManager implements AutoCloseable {
  /** A locked key: its holder and the owners waiting for it, first come first. */
  static final class Entry {
    LockOwner holder;
    final ArrayDeque<LockOwner> waiters = new ArrayDeque<>();

    Entry(LockOwner holder) {
      this.holder = holder;
    }
  }

  private final ReentrantLock mu = new ReentrantLock();
  private final Map<LockKey, Entry> locks = new HashMap<>(); // guarded by mu
  private boolean closed; // guarded by mu

  /** A new owner for transaction {@code txId} (ids are only for messages). */
  public LockOwner owner(long txId) {
    return new LockOwner(txId, mu.newCondition());
  }

  /**
   * Locks {@code key} for {@code owner}, waiting up to {@code timeoutNanos} if another owner holds
   * it.
   *
   * @return true if the lock was taken now, false if {@code owner} held it already
   * @throws KevoException LOCK_TIMEOUT if the timeout passed or the thread was interrupted (the
   *     interrupt flag stays set); DEADLOCK if waiting would close a cycle of waiting owners;
   *     CLOSED if the manager is or gets closed. {@code owner} keeps what it held before.
   */
  public boolean lock(LockOwner owner, byte[] key, long timeoutNanos) {
    LockKey k = new LockKey(key);
    mu.lock();
    try {
      checkOpen();
      Entry e = locks.get(k);
      if (e == null) {
        locks.put(k, new Entry(owner));
        owner.held.add(k);
        return true;
      }
      if (e.holder == owner) {
        return false;
      }
      await(owner, k, e, timeoutNanos);
      return true;
    } finally {
      mu.unlock();
    }
  }

  /** Waits in {@code e}'s queue until handed the lock (caller holds {@code mu}). */
  private void await(LockOwner owner, LockKey k, Entry e, long timeoutNanos) {
    long start = System.nanoTime();
    long left = timeoutNanos;
    e.waiters.addLast(owner);
    owner.waitingFor = e;
    owner.waitingKey = k;
    try {
      while (e.holder != owner) {
        checkOpen();
        String cycle = cycleThrough(owner, e);
        if (cycle != null) {
          throw new KevoException(
              ErrorCode.DEADLOCK,
              "deadlock: transaction "
                  + owner.txId
                  + " would wait for key "
                  + k
                  + " held by "
                  + cycle
                  + "; transaction "
                  + owner.txId
                  + " closed the cycle and is aborted");
        }
        if (left <= 0) {
          throw new KevoException(
              ErrorCode.LOCK_TIMEOUT,
              "lock wait timeout on key "
                  + k
                  + " held by another transaction ("
                  + e.holder.txId
                  + "): transaction "
                  + owner.txId
                  + " waited "
                  + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                  + " ms");
        }
        try {
          left = owner.wake.awaitNanos(left);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          if (e.holder == owner) {
            return; // granted as the interrupt came: keep it, the flag tells the caller
          }
          throw new KevoException(
              ErrorCode.LOCK_TIMEOUT,
              "interrupted while transaction "
                  + owner.txId
                  + " waited for the lock on key "
                  + k
                  + " held by another transaction ("
                  + e.holder.txId
                  + ")");
        }
      }
    } finally {
      if (e.holder != owner) {
        e.waiters.remove(owner);
      }
      owner.waitingFor = null;
      owner.waitingKey = null;
    }
  }

  /**
   * If {@code owner}, about to wait for {@code e}, would close a cycle: the cycle described from
   * {@code e}'s holder on; else null. Caller holds {@code mu}.
   */
  private String cycleThrough(LockOwner owner, Entry e) {
    StringBuilder path = new StringBuilder();
    LockOwner cur = e.holder;
    // A chain longer than the number of locks cannot be simple: stop rather than loop forever.
    for (int steps = 0; cur != null && steps <= locks.size(); steps++) {
      if (cur == owner) {
        return path.toString();
      }
      path.append("transaction ").append(cur.txId);
      if (cur.waitingFor == null) {
        return null;
      }
      path.append(", which waits for key ").append(cur.waitingKey).append(" held by ");
      cur = cur.waitingFor.holder;
      if (cur == owner) {
        path.append("transaction ").append(owner.txId);
      }
    }
    return null;
  }

  /**
   * Releases every lock {@code owner} holds, handing each to its first waiter. Idempotent; throws
   * nothing; a no-op once closed.
   */
  public void releaseAll(LockOwner owner) {
    mu.lock();
    try {
      if (!closed) {
        for (LockKey k : owner.held) {
          Entry e = locks.get(k);
          LockOwner next = e.waiters.pollFirst();
          if (next == null) {
            locks.remove(k);
          } else {
            e.holder = next;
            next.held.add(k);
            next.wake.signal();
          }
        }
      }
      owner.held.clear();
    } finally {
      mu.unlock();
    }
  }

  /** Keys locked now. */
  public int lockedKeys() {
    mu.lock();
    try {
      return locks.size();
    } finally {
      mu.unlock();
    }
  }

  /** Owners waiting for a lock now. */
  public int waiting() {
    mu.lock();
    try {
      int n = 0;
      for (Entry e : locks.values()) {
        n += e.waiters.size();
      }
      return n;
    } finally {
      mu.unlock();
    }
  }

  /** Forgets every lock and wakes every waiter, who fails with {@code CLOSED}. Idempotent. */
  @Override
  public void close() {
    mu.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Entry e : locks.values()) {
        for (LockOwner w : e.waiters) {
          w.wake.signal();
        }
      }
      locks.clear();
    } finally {
      mu.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new KevoException(ErrorCode.CLOSED, "cannot lock: the database is closed");
    }
  }
}
