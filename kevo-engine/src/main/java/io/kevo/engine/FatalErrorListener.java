package io.kevo.engine;

/**
 * Hears of a {@link VirtualMachineError} (an {@link OutOfMemoryError}, a {@link
 * StackOverflowError}, an {@link InternalError}) that the engine met in its own threads (flushes
 * and compactions, the periodic WAL sync, recovery retries), while committing a group of writes or
 * while syncing the WAL. After one, neither the JVM nor the engine's in-memory state can be
 * trusted; the log on disk can. Register one with {@link Options.Builder#fatalErrorListener}.
 *
 * <p>What a process that owns the JVM should do here is end it ({@link Runtime#halt(int)}) so that
 * its supervisor starts it again and WAL recovery takes over: {@code kevo server} does. The engine
 * itself never ends the process: it is a library.
 *
 * <p>Contract: called on the thread that met the error, before the engine records the failure;
 * possibly more than once (several threads may meet one). It should do as little as possible —
 * memory may be exhausted — and must not throw (what it throws is ignored). If it returns, the
 * engine goes on as it does without a listener: writes are refused with {@link
 * ErrorCode#WRITES_REFUSED} until the database is reopened; reads go on.
 */
@FunctionalInterface
public interface FatalErrorListener {
  /**
   * @param thread the thread that met the error (the current thread)
   * @param error the error
   */
  void onFatalError(Thread thread, VirtualMachineError error);
}
