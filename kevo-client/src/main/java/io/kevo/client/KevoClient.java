package io.kevo.client;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.GetStatsRequest;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a Kevo node ({@code kevo.KevoService}). Thread-safe: share one client; each call
 * is independent. {@link #close()} is idempotent and throws nothing.
 *
 * <p><b>Failures</b> are {@link KevoClientException}s carrying the gRPC status code and the
 * server's message; a transaction conflict is a {@link TransactionConflictException}.
 *
 * <p><b>Deadlines.</b> Each attempt of a unary call gets {@link ClientOptions#deadline()}; a scan
 * stream and a compaction get {@link ClientOptions#scanDeadline()} in all.
 *
 * <p><b>Retries.</b> A call that is safe to redo is retried on {@code UNAVAILABLE} with exponential
 * backoff ({@link ClientOptions#maxAttempts()}): {@code Get}, {@code Scan} (until it has delivered
 * a pair), {@code GetStats}, {@code GetNodeInfo}, and also {@code Put}, {@code Delete} and {@code
 * BatchWrite} unless {@link ClientOptions#retryWrites()} is off. The writes are idempotent by
 * value: applying the same put, delete or batch twice leaves the same state as applying it once, so
 * an attempt that reached the server before the connection failed does no harm when redone. (If
 * another client writes the same key between the two attempts, the redo overwrites it, exactly as
 * if the first attempt had simply arrived late: last writer wins.) Transaction calls are never
 * retried: a transaction is server-side state, and a lost commit answer cannot be told from a
 * failed commit. {@code Compact} is not retried either: it is long and not worth repeating.
 *
 * <p>Only the first of {@link ClientOptions#endpoints()} is used for now.
 */
public final class KevoClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KevoClient.class);

  private final ClientOptions options;
  private final String endpoint;
  private final ManagedChannel channel;
  private final ScheduledExecutorService scheduler;
  private final Retrier retrier;
  private final KevoServiceGrpc.KevoServiceBlockingStub blocking;
  private final KevoServiceGrpc.KevoServiceFutureStub future;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KevoClient(ClientOptions options, String endpoint, ManagedChannel channel) {
    this.options = options;
    this.endpoint = endpoint;
    this.channel = channel;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-client-retry");
              t.setDaemon(true);
              return t;
            });
    this.retrier = new Retrier(options, scheduler);
    this.blocking = KevoServiceGrpc.newBlockingStub(channel);
    this.future = KevoServiceGrpc.newFutureStub(channel);
  }

  /**
   * A client for {@code options}' first endpoint. Connecting is lazy: an unreachable node shows up
   * as {@code UNAVAILABLE} on the first call, not here.
   */
  public static KevoClient connect(ClientOptions options) {
    Objects.requireNonNull(options, "options");
    String endpoint = options.endpoints().get(0);
    ClientOptions.HostPort hp = ClientOptions.parseEndpoint(endpoint);
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(hp.host(), hp.port(), options.tls().channelCredentials())
            .maxInboundMessageSize(options.maxInboundMessageBytes())
            .build();
    LOG.debug("client for {} with {}", endpoint, options);
    return new KevoClient(options, endpoint, channel);
  }

  /** A client with the default options for {@code endpoint} ({@code HOST:PORT}). */
  public static KevoClient connect(String endpoint) {
    return connect(ClientOptions.forEndpoint(endpoint));
  }

  /** The node this client talks to, {@code HOST:PORT}. */
  public String endpoint() {
    return endpoint;
  }

  public ClientOptions options() {
    return options;
  }

  /** The value of {@code key}, or empty if absent. An empty array is a value, not an absence. */
  public Optional<byte[]> get(byte[] key) {
    GetRequest req = GetRequest.newBuilder().setKey(bytes(key)).build();
    return found(retrier.call("Get", true, () -> blocking().get(req)));
  }

  /** {@link #get} without blocking. */
  public CompletableFuture<Optional<byte[]>> getAsync(byte[] key) {
    GetRequest req = GetRequest.newBuilder().setKey(bytes(key)).build();
    return retrier.callAsync("Get", true, () -> future().get(req)).thenApply(KevoClient::found);
  }

  /** Stores {@code value} (possibly empty) under {@code key}, without forcing it to disk. */
  public void put(byte[] key, byte[] value) {
    put(key, value, false);
  }

  /**
   * Stores {@code value} (possibly empty) under {@code key}.
   *
   * @param sync whether the server syncs its log before answering
   */
  public void put(byte[] key, byte[] value, boolean sync) {
    PutRequest req = putRequest(key, value, sync);
    checkSuccess("Put", retrier.call("Put", retryWrites(), () -> blocking().put(req)).getSuccess());
  }

  /** {@link #put(byte[], byte[], boolean)} without blocking. */
  public CompletableFuture<Void> putAsync(byte[] key, byte[] value, boolean sync) {
    PutRequest req = putRequest(key, value, sync);
    return retrier
        .callAsync("Put", retryWrites(), () -> future().put(req))
        .thenAccept(r -> checkSuccess("Put", r.getSuccess()));
  }

  /** Deletes {@code key} without forcing it to disk; deleting an absent key is not an error. */
  public void delete(byte[] key) {
    delete(key, false);
  }

  /**
   * Deletes {@code key}; deleting an absent key is not an error.
   *
   * @param sync whether the server syncs its log before answering
   */
  public void delete(byte[] key, boolean sync) {
    DeleteRequest req = DeleteRequest.newBuilder().setKey(bytes(key)).setSync(sync).build();
    checkSuccess(
        "Delete", retrier.call("Delete", retryWrites(), () -> blocking().delete(req)).getSuccess());
  }

  /** {@link #delete(byte[], boolean)} without blocking. */
  public CompletableFuture<Void> deleteAsync(byte[] key, boolean sync) {
    DeleteRequest req = DeleteRequest.newBuilder().setKey(bytes(key)).setSync(sync).build();
    return retrier
        .callAsync("Delete", retryWrites(), () -> future().delete(req))
        .thenAccept(r -> checkSuccess("Delete", r.getSuccess()));
  }

  /** Applies {@code ops} atomically (all or none), without forcing them to disk. */
  public void batch(List<Op> ops) {
    batch(ops, false);
  }

  /**
   * Applies {@code ops} atomically, in order (a later op on the same key wins).
   *
   * @param sync whether the server syncs its log before answering
   */
  public void batch(List<Op> ops, boolean sync) {
    BatchWriteRequest req = batchRequest(ops, sync);
    BatchWriteResponse r =
        retrier.call("BatchWrite", retryWrites(), () -> blocking().batchWrite(req));
    checkSuccess("BatchWrite", r.getSuccess());
  }

  /** {@link #batch(List, boolean)} without blocking. */
  public CompletableFuture<Void> batchAsync(List<Op> ops, boolean sync) {
    BatchWriteRequest req = batchRequest(ops, sync);
    return retrier
        .callAsync("BatchWrite", retryWrites(), () -> future().batchWrite(req))
        .thenAccept(r -> checkSuccess("BatchWrite", r.getSuccess()));
  }

  /**
   * Streams the live pairs {@code spec} selects, in ascending key order. Close the result (it
   * cancels the call if unfinished).
   */
  public KevoScan scan(ScanSpec spec) {
    ScanRequest request = spec.toRequest();
    return new KevoScan(
        "Scan",
        () -> {
          Iterator<ScanResponse> it = streamingStub().scan(request);
          return map(it);
        },
        retrier,
        true);
  }

  /** The node's counters (keys, storage, operations, latencies, recovery). */
  public GetStatsResponse stats() {
    GetStatsRequest req = GetStatsRequest.getDefaultInstance();
    return retrier.call("GetStats", true, () -> blocking().getStats(req));
  }

  /** The node's role, last sequence, version and replicas. */
  public GetNodeInfoResponse nodeInfo() {
    GetNodeInfoRequest req = GetNodeInfoRequest.getDefaultInstance();
    return retrier.call("GetNodeInfo", true, () -> blocking().getNodeInfo(req));
  }

  /** Flushes and compacts the whole key range on the server; waits until it is done. */
  public void compact() {
    CompactRequest req = CompactRequest.newBuilder().setForce(true).build();
    boolean ok = retrier.call("Compact", false, () -> streamingStub().compact(req)).getSuccess();
    checkSuccess("Compact", ok);
  }

  /**
   * Begins a transaction on the server. Close it (try-with-resources): an unfinished one is rolled
   * back. The server forgets transactions left idle (30 s by default).
   *
   * @param readOnly whether writes are refused (a read-only transaction never conflicts)
   */
  public ClientTransaction beginTransaction(boolean readOnly) {
    BeginTransactionRequest req =
        BeginTransactionRequest.newBuilder().setReadOnly(readOnly).build();
    String id =
        retrier
            .call("BeginTransaction", false, () -> blocking().beginTransaction(req))
            .getTransactionId();
    return new ClientTransaction(this, id, readOnly);
  }

  /** Stops the channel, waiting up to 5 s for calls in flight. Idempotent; throws nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduler.shutdownNow();
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  // Package-private plumbing for ClientTransaction.

  KevoServiceGrpc.KevoServiceBlockingStub blocking() {
    return blocking.withDeadlineAfter(options.deadline().toNanos(), TimeUnit.NANOSECONDS);
  }

  KevoServiceGrpc.KevoServiceBlockingStub streamingStub() {
    return blocking.withDeadlineAfter(options.scanDeadline().toNanos(), TimeUnit.NANOSECONDS);
  }

  Retrier retrier() {
    return retrier;
  }

  private KevoServiceGrpc.KevoServiceFutureStub future() {
    return future
        .withDeadlineAfter(options.deadline().toNanos(), TimeUnit.NANOSECONDS)
        .withExecutor(MoreExecutors.directExecutor());
  }

  private boolean retryWrites() {
    return options.retryWrites();
  }

  static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(Objects.requireNonNull(b, "key and value must not be null"));
  }

  static void checkSuccess(String rpc, boolean success) {
    if (!success) {
      throw new KevoClientException(
          io.grpc.Status.Code.UNKNOWN, rpc + " answered success=false without an error", null);
    }
  }

  private static Optional<byte[]> found(GetResponse r) {
    return r.getFound() ? Optional.of(r.getValue().toByteArray()) : Optional.empty();
  }

  private static PutRequest putRequest(byte[] key, byte[] value, boolean sync) {
    return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setSync(sync).build();
  }

  private static BatchWriteRequest batchRequest(List<Op> ops, boolean sync) {
    BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder().setSync(sync);
    for (Op op : ops) {
      b.addOperations(
          Operation.newBuilder()
              .setType(op.kind() == Op.Kind.PUT ? Operation.Type.PUT : Operation.Type.DELETE)
              .setKey(ByteString.copyFrom(op.keyNoCopy()))
              .setValue(ByteString.copyFrom(op.valueNoCopy())));
    }
    return b.build();
  }

  static Iterator<KeyValue> map(Iterator<ScanResponse> it) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public KeyValue next() {
        ScanResponse r = it.next();
        return new KeyValue(r.getKey().toByteArray(), r.getValue().toByteArray());
      }
    };
  }
}
