package io.kevo.engine.internal;

import io.kevo.engine.FatalErrorListener;

/**
 * Picks the {@link VirtualMachineError}s out of the failures the engine records and hands them to
 * the application's {@link FatalErrorListener}, if it registered one. Thread-safe; allocates
 * nothing on the way to the listener (the heap may be exhausted).
 */
final class FatalErrors {
  /** How far down a chain of causes to look: wrappers are a few deep, a cycle must not hang us. */
  private static final int MAX_DEPTH = 8;

  private final FatalErrorListener listener;

  /**
   * @param listener who hears of them, or null for no one
   */
  FatalErrors(FatalErrorListener listener) {
    this.listener = listener;
  }

  /**
   * If {@code failure} is, or was caused by, a {@link VirtualMachineError}, tells the listener on
   * this thread. Never throws.
   *
   * @return whether it was one
   */
  boolean report(Throwable failure) {
    VirtualMachineError error = find(failure);
    if (error == null) {
      return false;
    }
    if (listener != null) {
      try {
        listener.onFatalError(Thread.currentThread(), error);
      } catch (Throwable ignored) {
        // The listener must not throw; the engine refuses writes either way.
      }
    }
    return true;
  }

  /** The {@link VirtualMachineError} {@code t} is or was caused by, or null. */
  static VirtualMachineError find(Throwable t) {
    for (int i = 0; t != null && i < MAX_DEPTH; i++, t = t.getCause()) {
      if (t instanceof VirtualMachineError e) {
        return e;
      }
    }
    return null;
  }
}
