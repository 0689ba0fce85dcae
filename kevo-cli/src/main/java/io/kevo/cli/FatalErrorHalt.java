package io.kevo.cli;

import io.kevo.engine.FatalErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code kevo server} does when its JVM fails: on a {@link VirtualMachineError} (an {@link
 * OutOfMemoryError}, a {@link StackOverflowError}, ...) in any thread it logs one ERROR line and
 * halts the JVM with {@link ExitCodes#JVM_FAILURE}. Halts, not exits: shutdown hooks (a graceful
 * close that waits for calls) would run on a JVM whose state cannot be trusted and that may have no
 * memory left; the WAL already holds every acknowledged write.
 *
 * <p>Registered as the engine's {@link FatalErrorListener} and as the JVM's default uncaught-
 * exception handler, which also hears gRPC handlers' and replication's errors (see {@code
 * KevoServer}, {@code io.kevo.replication}). Other uncaught exceptions are logged, and the server
 * goes on, as before it had a handler.
 *
 * <p>Thread-safe. The first failing thread logs and halts; any other waits on the lock until the
 * JVM is gone, so the line is never cut off by a second halt. Most of the line is built up front,
 * while there is memory.
 */
final class FatalErrorHalt implements FatalErrorListener, Thread.UncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(FatalErrorHalt.class);

  private final String heapAdvice;

  /**
   * @param maxHeapBytes the JVM's maximum heap ({@link Runtime#maxMemory()})
   */
  FatalErrorHalt(long maxHeapBytes) {
    long mib = maxHeapBytes >> 20;
    this.heapAdvice =
        "; the maximum heap is "
            + mib
            + " MiB: if that is too little, give the server more with KEVO_JAVA_OPTS=-Xmx<size>"
            + " (e.g. KEVO_JAVA_OPTS=-Xmx"
            + Math.max(256, 2 * mib)
            + "m), or -Xmx<size> before -jar";
  }

  @Override
  public void onFatalError(Thread thread, VirtualMachineError error) {
    halt(thread, error);
  }

  @Override
  public void uncaughtException(Thread thread, Throwable failure) {
    if (failure instanceof VirtualMachineError e) {
      halt(thread, e);
    }
    LOG.error("uncaught exception in thread {}", thread.getName(), failure);
  }

  private synchronized void halt(Thread thread, VirtualMachineError error) {
    try {
      LOG.error(
          "kevo server is exiting with status {}: {} in thread {}; the JVM cannot be trusted after"
              + " it{}; on restart the write-ahead log brings back every acknowledged write",
          ExitCodes.JVM_FAILURE,
          error,
          thread.getName(),
          error instanceof OutOfMemoryError ? heapAdvice : "");
    } finally {
      Runtime.getRuntime().halt(ExitCodes.JVM_FAILURE);
    }
  }
}
