package io.kevo.bench.server;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.kevo.bench.report.ProcessCpu;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Runs every phase against a node over gRPC from this JVM: preload, compact, then each workload at
 * each concurrency. The node's CPU comes from {@code servingCpu}; this JVM's own CPU is recorded as
 * the load generator's.
 */
final class RemoteRun {
  /** Keys per BatchWrite when preloading, and how many such calls are in flight. */
  private static final int LOAD_BATCH = 1_000;

  private static final int LOAD_WINDOW = 4;

  /** How the load generator keeps requests outstanding. */
  enum Mode {
    /** One asynchronous loop per client on the channels' event loops. */
    ASYNC,
    /** One thread per client making blocking calls. */
    BLOCKING
  }

  private RemoteRun() {}

  /**
   * @param servingCpu CPU time of the node so far, or empty when it cannot be read
   * @param peakRss the node's VmHWM in MiB at the end, -1 if unknown
   * @param tls how to reach the node (plaintext unless it holds TLS files)
   */
  static SideResult execute(
      String host,
      int port,
      LoadParams params,
      RemoteApi.Api api,
      Mode mode,
      int connections,
      Supplier<Optional<ProcessCpu.Sample>> servingCpu,
      Supplier<Double> peakRss,
      TargetTls tls) {
    KeyPlan keys = new KeyPlan(params.seed(), params.preload(), params.keySize());
    ValuePool values = new ValuePool(params.seed(), params.valueSize());
    double loadMs;
    double compactMs;
    List<PhaseStats> phases = new ArrayList<>();
    // Loading, compactions and settling go over a channel of their own, apart from the clients'.
    ManagedChannel admin = RemoteApi.channel(host, port, tls);
    Runnable compact =
        () -> KevoServiceGrpc.newBlockingStub(admin).compact(CompactRequest.newBuilder().build());
    try (RemoteApi remote = new RemoteApi(api, host, port, connections, tls)) {
      long t0 = System.nanoTime();
      preload(admin, keys, values, params.preload());
      long t1 = System.nanoTime();
      if (params.preload() > 0) {
        // Flush and compact, so every run starts from the same on-disk state (as the engine does).
        compact.run();
      }
      long t2 = System.nanoTime();
      loadMs = (t1 - t0) / 1e6;
      compactMs = (t2 - t1) / 1e6;
      System.err.printf(
          "  server: loaded %d keys in %.0f ms, compacted in %.0f ms%n",
          params.preload(), loadMs, compactMs);
      if (params.jitWarmupSeconds() > 0) {
        int clients = params.maxClients();
        PhaseRunner.untimed(
            params.jitWarmupSeconds(),
            clock ->
                start(
                    mode,
                    clients,
                    c -> remote.caller(RequestKind.GET, c, keys, values, params),
                    clock));
      }
      boolean wrote = false;
      for (RequestKind w : params.workloads()) {
        for (int clients : params.clients()) {
          PhaseStats s =
              PhaseRunner.run(
                  params,
                  w,
                  clients,
                  wrote && params.settle() ? compact : null,
                  clock ->
                      start(mode, clients, c -> remote.caller(w, c, keys, values, params), clock),
                  servingCpu,
                  ProcessCpu::self);
          ServerCommand.progress("server", s);
          phases.add(s);
          wrote = w != RequestKind.GET;
        }
      }
    } finally {
      admin.shutdownNow();
    }
    return new SideResult("server", params.preload(), loadMs, compactMs, phases, peakRss.get());
  }

  private static ClientLoops.Running start(
      Mode mode, int clients, IntFunction<Caller> callers, PhaseClock clock) {
    return mode == Mode.ASYNC
        ? ClientLoops.async(clients, callers, clock)
        : ClientLoops.threads(clients, callers, clock);
  }

  /** Loads keys {@code 0..n-1} in BatchWrites of {@link #LOAD_BATCH}, a few in flight. */
  private static void preload(ManagedChannel channel, KeyPlan keys, ValuePool values, long n) {
    KevoServiceGrpc.KevoServiceStub stub = KevoServiceGrpc.newStub(channel);
    Semaphore window = new Semaphore(LOAD_WINDOW);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    StreamObserver<BatchWriteResponse> answer =
        new StreamObserver<>() {
          @Override
          public void onNext(BatchWriteResponse r) {}

          @Override
          public void onError(Throwable t) {
            failure.compareAndSet(null, t);
            window.release();
          }

          @Override
          public void onCompleted() {
            window.release();
          }
        };
    try {
      for (long first = 0; first < n; first += LOAD_BATCH) {
        window.acquire();
        if (failure.get() != null) {
          window.release();
          break;
        }
        BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
        for (long i = first; i < Math.min(n, first + LOAD_BATCH); i++) {
          b.addOperations(
              Operation.newBuilder()
                  .setType(Operation.Type.PUT)
                  .setKey(StubCaller.wrap(keys.loaded(i)))
                  .setValue(StubCaller.wrap(values.value(i))));
        }
        stub.batchWrite(b.build(), answer);
      }
      if (!window.tryAcquire(LOAD_WINDOW, 10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("preload calls did not complete");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preloading", e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("preload failed: " + failure.get(), failure.get());
    }
  }
}
