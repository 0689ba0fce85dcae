package io.kevo.client;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a call up to {@link ClientOptions#maxAttempts()} times when it is safe to redo and fails
 * with {@code UNAVAILABLE} (the node is down, restarting or refusing writes for now), waiting an
 * exponentially growing backoff between attempts. Every other failure, and any failure of a call
 * that is not safe to redo, surfaces at once as a {@link KevoClientException}.
 *
 * <p>Only UNAVAILABLE is retried: DEADLINE_EXCEEDED means the server may still be working on the
 * call, and the caller chose the deadline; the other codes would fail the same way again.
 * Thread-safe.
 */
final class Retrier {
  private static final ClientLog LOG = ClientLog.of(Retrier.class);

  private final ClientOptions options;
  private final ScheduledExecutorService scheduler;

  Retrier(ClientOptions options, ScheduledExecutorService scheduler) {
    this.options = options;
    this.scheduler = scheduler;
  }

  /** Runs {@code attempt} (which applies its own deadline), retrying if {@code redoable}. */
  <T> T call(String name, boolean redoable, Supplier<T> attempt) {
    for (int n = 1; ; n++) {
      try {
        return attempt.get();
      } catch (RuntimeException e) {
        if (!shouldRetry(redoable, e, n)) {
          throw KevoClientException.of(e);
        }
        pause(name, n, e);
      }
    }
  }

  /** The asynchronous form of {@link #call}; retries are scheduled, never slept on a thread. */
  <T> CompletableFuture<T> callAsync(
      String name, boolean redoable, Supplier<ListenableFuture<T>> attempt) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attemptAsync(name, redoable, attempt, 1, result);
    return result;
  }

  private <T> void attemptAsync(
      String name,
      boolean redoable,
      Supplier<ListenableFuture<T>> attempt,
      int n,
      CompletableFuture<T> result) {
    if (result.isDone()) {
      return; // cancelled by the caller while waiting to retry
    }
    ListenableFuture<T> call;
    try {
      call = attempt.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(KevoClientException.of(e));
      return;
    }
    // Cancelling the returned future cancels the call in flight.
    result.whenComplete(
        (v, t) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    Futures.addCallback(
        call,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T value) {
            result.complete(value);
          }

          @Override
          public void onFailure(Throwable t) {
            if (!shouldRetry(redoable, t, n)) {
              result.completeExceptionally(KevoClientException.of(t));
              return;
            }
            long delay = backoffNanos(n);
            LOG.debug("{} failed ({}); attempt {} in {} us", name, t, n + 1, delay / 1000);
            try {
              scheduler.schedule(
                  () -> attemptAsync(name, redoable, attempt, n + 1, result),
                  delay,
                  TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
              result.completeExceptionally(KevoClientException.of(t)); // the client was closed
            }
          }
        },
        MoreExecutors.directExecutor());
  }

  /** Whether a call that failed with {@code e} on attempt {@code attemptsSoFar} runs again. */
  boolean shouldRetry(boolean redoable, Throwable e, int attemptsSoFar) {
    return redoable
        && attemptsSoFar < options.maxAttempts()
        && KevoClientException.isStatus(e)
        && Status.fromThrowable(e).getCode() == Status.Code.UNAVAILABLE;
  }

  /** Sleeps the backoff after attempt {@code n} failed with {@code e}. */
  void pause(String name, int n, Throwable e) {
    long delay = backoffNanos(n);
    LOG.debug("{} failed ({}); attempt {} in {} us", name, e, n + 1, delay / 1000);
    try {
      TimeUnit.NANOSECONDS.sleep(delay);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      KevoClientException failure = KevoClientException.of(e);
      failure.addSuppressed(ie);
      throw failure;
    }
  }

  /** initialBackoff * 2^(n-1), at most maxBackoff. No jitter: one client, one node for now. */
  long backoffNanos(int n) {
    Duration initial = options.initialBackoff();
    long nanos = initial.toNanos();
    for (int i = 1; i < n && nanos < options.maxBackoff().toNanos(); i++) {
      nanos *= 2;
    }
    return Math.min(nanos, options.maxBackoff().toNanos());
  }
}
