package io.kevo.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kevo.server.metrics.RpcMeters;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Per-RPC call counts and latencies, and failed calls by status code, measured by intercepting
 * every call of the service it wraps, for GetStats and, when the node serves Prometheus metrics,
 * for its {@link RpcMeters} too. A call's latency runs from its arrival to its close (for a stream,
 * the whole stream); a call the client cancels counts as {@code CANCELLED}.
 *
 * <p>Thread-safe and lock-free; counters only grow.
 */
final class RpcMetrics implements ServerInterceptor {
  private final LongSupplier nanoTime;
  private final RpcMeters meters; // null: no Prometheus endpoint
  private final ConcurrentHashMap<String, Latency> latencies = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder bytesRead = new LongAdder();

  RpcMetrics(LongSupplier nanoTime) {
    this(nanoTime, null);
  }

  /** Also records every call in {@code meters} (null: nowhere else). */
  RpcMetrics(LongSupplier nanoTime, RpcMeters meters) {
    this.nanoTime = nanoTime;
    this.meters = meters;
  }

  /** One RPC's latency summary, in nanoseconds. */
  record LatencySnapshot(long count, long avgNanos, long minNanos, long maxNanos) {}

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String rpc = call.getMethodDescriptor().getBareMethodName();
    long start = nanoTime.getAsLong();
    AtomicBoolean recorded = new AtomicBoolean();
    ServerCall<Q, R> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (recorded.compareAndSet(false, true)) {
              record(rpc, nanoTime.getAsLong() - start, status.getCode());
            }
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(timed, headers)) {
      @Override
      public void onCancel() {
        if (recorded.compareAndSet(false, true)) {
          record(rpc, nanoTime.getAsLong() - start, Status.Code.CANCELLED);
        }
        super.onCancel();
      }
    };
  }

  /** Adds key and value bytes sent to a client by a read. */
  void addBytesRead(long bytes) {
    bytesRead.add(bytes);
  }

  /** Key and value bytes returned to clients by Get, TxGet, Scan and TxScan. */
  long bytesRead() {
    return bytesRead.sum();
  }

  /** Calls completed per RPC name (e.g. {@code Get}), sorted by name. */
  Map<String, LatencySnapshot> latencies() {
    Map<String, LatencySnapshot> out = new TreeMap<>();
    latencies.forEach((rpc, l) -> out.put(rpc, l.snapshot()));
    return out;
  }

  /** Failed calls per status code name (e.g. {@code NOT_FOUND}), sorted by name. */
  Map<String, Long> errors() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((code, n) -> out.put(code, n.sum()));
    return out;
  }

  private void record(String rpc, long nanos, Status.Code code) {
    latencies.computeIfAbsent(rpc, k -> new Latency()).add(nanos);
    if (code != Status.Code.OK) {
      errors.computeIfAbsent(code.name(), k -> new LongAdder()).increment();
    }
    if (meters != null) {
      meters.record(rpc, code.name(), nanos);
    }
  }

  private static final class Latency {
    final LongAdder count = new LongAdder();
    final LongAdder total = new LongAdder();
    final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
    final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void add(long nanos) {
      long n = Math.max(0, nanos);
      count.increment();
      total.add(n);
      min.accumulate(n);
      max.accumulate(n);
    }

    LatencySnapshot snapshot() {
      long c = count.sum();
      long lo = min.get();
      return new LatencySnapshot(
          c, c == 0 ? 0 : total.sum() / c, lo == Long.MAX_VALUE ? 0 : lo, max.get());
    }
  }
}
