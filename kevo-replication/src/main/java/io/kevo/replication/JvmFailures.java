package io.kevo.replication;

/**
 * Where replication catches whatever a callback or a task throws (gRPC's client callbacks turn it
 * into a cancelled call, a scheduled task keeps it in its future), a {@link VirtualMachineError}
 * among it is handed on to the thread's uncaught-exception handler, as if nobody had caught it: the
 * process that owns the JVM decides what follows ({@code kevo server} halts). Replication itself
 * ends nothing.
 */
public final class JvmFailures {
  /** How far down a chain of causes to look: wrappers are a few deep, a cycle must not hang us. */
  private static final int MAX_DEPTH = 8;

  private JvmFailures() {}

  /** If {@code t} is, or was caused by, a {@link VirtualMachineError}, hands that on. */
  public static void handOver(Throwable t) {
    for (int i = 0; t != null && i < MAX_DEPTH; i++, t = t.getCause()) {
      if (t instanceof VirtualMachineError e) {
        Thread me = Thread.currentThread();
        me.getUncaughtExceptionHandler().uncaughtException(me, e);
        return;
      }
    }
  }
}
