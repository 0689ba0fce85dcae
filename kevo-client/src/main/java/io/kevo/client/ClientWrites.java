package io.kevo.client;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.DeleteResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The writes of a {@link KevoClient}, {@code Put}, {@code Delete} and {@code BatchWrite}, blocking
 * and async: each is routed to the primary ({@link Router.Route#WRITE}), retried on {@code
 * UNAVAILABLE} unless {@link ClientOptions#retryWrites()} is off (they are idempotent by value),
 * carries its acknowledgement level ({@link WriteSpec}) and returns the commit sequence its
 * trailers report ({@link WriteResult}). Also the request encoding the transactions share ({@link
 * #bytes}, {@link #checkSuccess}). Thread-safe.
 */
final class ClientWrites {
  private final ClientOptions options;
  private final Retrier retrier;
  private final Router router;
  private final Consistency consistency;

  ClientWrites(ClientOptions options, Retrier retrier, Router router, Consistency consistency) {
    this.options = options;
    this.retrier = retrier;
    this.router = router;
    this.consistency = consistency;
  }

  WriteResult put(byte[] key, byte[] value, WriteSpec spec) {
    PutRequest req = putRequest(key, value, spec.sync());
    return call("Put", spec, stub -> stub.put(req).getSuccess());
  }

  CompletableFuture<WriteResult> putAsync(byte[] key, byte[] value, WriteSpec spec) {
    PutRequest req = putRequest(key, value, spec.sync());
    return callAsync("Put", spec, stub -> stub.put(req), PutResponse::getSuccess);
  }

  WriteResult delete(byte[] key, WriteSpec spec) {
    DeleteRequest req = deleteRequest(key, spec.sync());
    return call("Delete", spec, stub -> stub.delete(req).getSuccess());
  }

  CompletableFuture<WriteResult> deleteAsync(byte[] key, WriteSpec spec) {
    DeleteRequest req = deleteRequest(key, spec.sync());
    return callAsync("Delete", spec, stub -> stub.delete(req), DeleteResponse::getSuccess);
  }

  WriteResult batch(List<Op> ops, WriteSpec spec) {
    BatchWriteRequest req = batchRequest(ops, spec.sync());
    return call("BatchWrite", spec, stub -> stub.batchWrite(req).getSuccess());
  }

  CompletableFuture<WriteResult> batchAsync(List<Op> ops, WriteSpec spec) {
    BatchWriteRequest req = batchRequest(ops, spec.sync());
    return callAsync(
        "BatchWrite", spec, stub -> stub.batchWrite(req), BatchWriteResponse::getSuccess);
  }

  /**
   * One write through the router with the acknowledgement metadata; returns what its trailers
   * report.
   */
  private WriteResult call(
      String name, WriteSpec spec, Function<KevoServiceGrpc.KevoServiceBlockingStub, Boolean> rpc) {
    Metadata headers = consistency.writeHeaders(spec);
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    boolean ok;
    try {
      ok =
          retrier.call(
              name,
              options.retryWrites(),
              () ->
                  router.call(
                      name,
                      Router.Route.WRITE,
                      n ->
                          rpc.apply(
                              Consistency.decorate(
                                  n.blocking(options.deadline()), headers, trailers))));
    } catch (RuntimeException e) {
      throw consistency.writeFailure(e);
    }
    checkSuccess(name, ok);
    return consistency.written(trailers.get());
  }

  private <R> CompletableFuture<WriteResult> callAsync(
      String name,
      WriteSpec spec,
      Function<KevoServiceGrpc.KevoServiceFutureStub, ListenableFuture<R>> rpc,
      Predicate<R> success) {
    Metadata headers = consistency.writeHeaders(spec);
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    CompletableFuture<WriteResult> out = new CompletableFuture<>();
    retrier
        .callAsync(
            name,
            options.retryWrites(),
            () ->
                router.callAsync(
                    name,
                    Router.Route.WRITE,
                    n ->
                        rpc.apply(
                            Consistency.decorate(n.future(options.deadline()), headers, trailers))))
        .whenComplete(
            (r, t) -> {
              if (t != null) {
                out.completeExceptionally(consistency.writeFailure(unwrap(t)));
                return;
              }
              try {
                checkSuccess(name, success.test(r));
                out.complete(consistency.written(trailers.get()));
              } catch (RuntimeException e) {
                out.completeExceptionally(e);
              }
            });
    return out;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A copy of a key or value as a message field. */
  static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(Objects.requireNonNull(b, "key and value must not be null"));
  }

  /** Fails a call whose answer said {@code success=false} without an error. */
  static void checkSuccess(String rpc, boolean success) {
    if (!success) {
      throw new KevoClientException(
          io.grpc.Status.Code.UNKNOWN, rpc + " answered success=false without an error", null);
    }
  }

  private static PutRequest putRequest(byte[] key, byte[] value, boolean sync) {
    return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setSync(sync).build();
  }

  private static DeleteRequest deleteRequest(byte[] key, boolean sync) {
    return DeleteRequest.newBuilder().setKey(bytes(key)).setSync(sync).build();
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
}
