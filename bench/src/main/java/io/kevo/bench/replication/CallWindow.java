package io.kevo.bench.replication;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Untimed loading through asynchronous calls, at most {@code size} in flight: {@link #acquire}
 * before each call, {@link #observer} as its response observer, {@link #finish} once all are sent.
 * The first failure stops the loop ({@link #open}) and is thrown by {@link #finish}. One sending
 * thread; observers complete on any thread.
 */
final class CallWindow {
  private static final long FINISH_TIMEOUT_MINUTES = 10;

  private final int size;
  private final String what;
  private final Semaphore permits;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /**
   * @param what names the work in errors, e.g. "catch-up writes"
   */
  CallWindow(int size, String what) {
    this.size = size;
    this.what = what;
    this.permits = new Semaphore(size);
  }

  /** Whether no call has failed yet. */
  boolean open() {
    return failure.get() == null;
  }

  /** Waits for a free slot. */
  void acquire() {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    }
  }

  /** The response observer of a call sent after {@link #acquire}: frees its slot when it ends. */
  <T> StreamObserver<T> observer() {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        failure.compareAndSet(null, t);
        permits.release();
      }

      @Override
      public void onCompleted() {
        permits.release();
      }
    };
  }

  /** Waits until every call has ended; throws the first failure. */
  void finish() {
    try {
      if (!permits.tryAcquire(size, FINISH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        throw new IllegalStateException(what + " did not complete");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    }
    Throwable f = failure.get();
    if (f != null) {
      throw new IllegalStateException(what + " failed: " + f, f);
    }
  }
}
