package io.kevo.server;

import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.kevo.engine.SyncMode;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which thread runs each call, per {@link Dispatch}. In {@code EVENT_LOOP} mode the server's
 * executor is the direct one, so a call starts on the event loop that read it; this class then
 * moves every call that may block onto the pool as soon as the method is known (gRPC's per-call
 * executor), and keeps {@code Get} (and {@code Put} and {@code Delete} when the engine never syncs
 * on its own) where it is, and so is a replica's {@code Acknowledge}: it only records the replica's
 * position and completes the writes that waited for it (their answers are non-blocking sends, and
 * reads that waited are handed to the pool), and it is on the path of every write that waits for a
 * replica, where a hand-off costs a thread wake-up. A point write whose request asks for {@code
 * sync} is only known once its message is read, so the service hands it to {@link #syncWrites()}
 * itself. {@code BatchWrite} always runs on the pool: its hand-off is spread over the batch's
 * operations, and batches written from many pool threads group-commit, where the two or four event
 * loops would hold one batch each and stall their connections during memtable flushes (measured:
 * about 330k against 240k batched puts/s with 16 clients). In {@code POOL} mode every call runs on
 * the pool, as with gRPC's default executor.
 *
 * <p>The pool is a cached one (idle threads expire), like gRPC's default executor, so that calls
 * that wait (syncs, compactions, scans of slow clients) never starve each other. Thread-safe;
 * {@link #close()} stops the pool once the server has terminated.
 */
final class CallDispatch implements AutoCloseable {
  private static final Set<String> READS =
      Set.of(KevoServiceGrpc.getGetMethod().getFullMethodName());
  private static final Set<String> POINT_WRITES =
      Set.of(
          KevoServiceGrpc.getPutMethod().getFullMethodName(),
          KevoServiceGrpc.getDeleteMethod().getFullMethodName());
  private static final Set<String> ACKS =
      Set.of(WALReplicationServiceGrpc.getAcknowledgeMethod().getFullMethodName());

  private final Dispatch mode;
  private final boolean writesInline;
  private final ExecutorService pool;

  /**
   * @param engineSyncMode the served engine's mode: unsynced writes run inline only under {@link
   *     SyncMode#NONE}, since under the other modes any write may wait for an fsync
   */
  CallDispatch(Dispatch mode, SyncMode engineSyncMode) {
    this.mode = mode;
    this.writesInline = mode == Dispatch.EVENT_LOOP && engineSyncMode == SyncMode.NONE;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kevo-rpc-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Sets the builder's executors for this mode. */
  void configure(ServerBuilder<?> builder) {
    if (mode == Dispatch.EVENT_LOOP) {
      builder.directExecutor().callExecutor(new Routing());
    } else {
      builder.executor(pool);
    }
  }

  /**
   * Where a {@code Put} or {@code Delete} that asked for {@code sync} runs: the pool when they run
   * on the event loop (an fsync must not hold it up), else the calling thread (a pool thread).
   */
  Executor syncWrites() {
    return writesInline ? pool : Runnable::run;
  }

  /** The pool, for work handed off by other threads (reads released by a replica's progress). */
  Executor background() {
    return pool;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /**
   * Where a call of {@code method} (its full name) runs in {@code EVENT_LOOP} mode: null keeps it
   * on the event loop that read it, else the pool.
   */
  Executor executorFor(String method) {
    if (READS.contains(method)
        || ACKS.contains(method)
        || (writesInline && POINT_WRITES.contains(method))) {
      return null;
    }
    return pool;
  }

  /** gRPC's per-call choice: null keeps the call on the event loop. */
  private final class Routing implements ServerCallExecutorSupplier {
    @Override
    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
      return executorFor(call.getMethodDescriptor().getFullMethodName());
    }
  }
}
