package io.kevo.engine.internal.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * One transaction as the {@link LockManager} sees it: the keys it holds and the key it waits for.
 * Made by {@link LockManager#owner(long)}; every field is guarded by the manager's lock (this class
 * has no synchronization of its own).
 */
public final class LockOwner {
  final long txId;
  final Condition wake;
  final List<LockKey> held = new ArrayList<>();

  /** The lock this owner waits for, or null when it is not waiting. */
  LockManager.Entry waitingFor;

  /** The key of {@link #waitingFor}. */
  LockKey waitingKey;

  LockOwner(long txId, Condition wake) {
    this.txId = txId;
    this.wake = wake;
  }

  /** The transaction's id, as given to {@link LockManager#owner(long)}. */
  public long txId() {
    return txId;
  }
}
