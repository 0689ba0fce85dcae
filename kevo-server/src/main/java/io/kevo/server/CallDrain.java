package io.kevo.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client calls in flight, for a shutdown that lets them finish: counts the calls of the
 * services it intercepts and, once {@link #close() closed}, refuses new ones with {@code
 * UNAVAILABLE} (so that clients go to another node) while {@link #awaitIdle} waits for those
 * already running.
 *
 * <p>Why not gRPC's {@code shutdown()} and {@code awaitTermination()} alone: they wait for every
 * call, including streams that never end on their own (a replica's {@code StreamWAL}, a health
 * {@code Watch}), and they refuse the replication calls (acknowledgements) that a write in flight
 * may be waiting for. Thread-safe.
 */
final class CallDrain implements ServerInterceptor {
  private int running; // guarded by this
  private boolean closed; // guarded by this

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    synchronized (this) {
      if (closed) {
        call.close(
            StatusMapper.toStatus(
                new ServerException(
                    ServerException.Reason.SHUTTING_DOWN, "the server is shutting down")),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
      running++;
    }
    AtomicBoolean ended = new AtomicBoolean();
    Runnable end =
        () -> {
          if (ended.compareAndSet(false, true)) {
            ended();
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      end.run();
      throw e;
    }
    // gRPC ends every call with exactly one of these two.
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          end.run();
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          end.run();
        }
      }
    };
  }

  /** Refuses calls from now on. Idempotent. */
  synchronized void close() {
    closed = true;
  }

  /** Calls running now. */
  synchronized int running() {
    return running;
  }

  /** Waits until no call runs, at most {@code timeout}; returns whether none does. */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private synchronized void ended() {
    if (--running == 0) {
      notifyAll();
    }
  }
}
