package io.kevo.replication;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * A {@link ScheduledThreadPoolExecutor} that does not keep its tasks' {@link VirtualMachineError}s
 * to itself. Every task of a scheduled executor, {@code execute}d ones too, runs inside a future
 * that stores what the task throws; nobody reads those futures here, so an {@link OutOfMemoryError}
 * in a session's drain would vanish and leave the session stuck. After each task this hands such an
 * error to the worker thread's uncaught-exception handler ({@link JvmFailures}). Other failures are
 * left where they were (the tasks log their own).
 */
public final class SurfacingScheduledExecutor extends ScheduledThreadPoolExecutor {
  public SurfacingScheduledExecutor(int threads, ThreadFactory threadFactory) {
    super(threads, threadFactory);
  }

  @Override
  protected void afterExecute(Runnable task, Throwable thrown) {
    super.afterExecute(task, thrown);
    // A periodic task that ran normally is not done; one that threw is, and is not run again.
    if (task instanceof Future<?> f && f.isDone() && !f.isCancelled()) {
      try {
        f.get();
      } catch (ExecutionException e) {
        JvmFailures.handOver(e.getCause());
      } catch (CancellationException e) {
        // cancelled between the check and get(): nothing was thrown
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
