package io.kevo.bench.replication;

import io.grpc.ManagedChannel;
import io.kevo.bench.server.RemoteApi;

/**
 * What a probe of one replica needs around its measuring loop: its own channels to the primary and
 * to the replica, a daemon thread that runs the loop at once, and a {@link #finish} that joins it,
 * closes the channels and reports a loop that failed or did not stop. Used by {@link
 * VisibilityProbe} and {@link RywProbe}. Thread-safe.
 */
final class ProbeThread {
  /** A probe's loop, on its thread; it returns once the phase clock drains. */
  interface Loop {
    void run(ManagedChannel toPrimary, ManagedChannel toReplica) throws Exception;
  }

  private final String what;
  private final ManagedChannel toPrimary;
  private final ManagedChannel toReplica;
  private final Thread thread;
  private volatile Throwable failure;

  /**
   * Opens the channels and starts {@code loop}.
   *
   * @param what names the probe in errors, e.g. "the visibility probe of replica1"
   */
  ProbeThread(String what, String threadName, int primaryPort, int replicaPort, Loop loop) {
    this.what = what;
    this.toPrimary = RemoteApi.channel("127.0.0.1", primaryPort);
    this.toReplica = RemoteApi.channel("127.0.0.1", replicaPort);
    this.thread =
        new Thread(
            () -> {
              try {
                loop.run(toPrimary, toReplica);
              } catch (Throwable e) {
                failure = e;
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits up to {@code joinMillis} for the loop to end, closes the channels.
   *
   * @throws IllegalStateException if the loop failed or is still running
   */
  void finish(long joinMillis) {
    try {
      thread.join(joinMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the probe", e);
    } finally {
      toPrimary.shutdownNow();
      toReplica.shutdownNow();
    }
    if (thread.isAlive()) {
      throw new IllegalStateException(what + " did not stop");
    }
    if (failure != null) {
      throw new IllegalStateException(what + " failed: " + failure, failure);
    }
  }
}
