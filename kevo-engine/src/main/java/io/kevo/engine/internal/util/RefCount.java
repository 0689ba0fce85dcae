package io.kevo.engine.internal.util;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference count that starts at one (the creator's reference) and, once it reaches zero, can
 * never be taken again: {@link #tryRef()} fails on a released object instead of reviving it.
 * Thread-safe and lock-free.
 */
public final class RefCount {
  private final AtomicInteger refs = new AtomicInteger(1);

  /** Takes a reference if the object is still alive. */
  public boolean tryRef() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * Gives a reference back.
   *
   * @return true if that was the last one: the caller releases the object's resources
   * @throws IllegalStateException if released more often than referenced
   */
  public boolean unref() {
    int n = refs.decrementAndGet();
    if (n < 0) {
      throw new IllegalStateException("released more often than referenced");
    }
    return n == 0;
  }
}
