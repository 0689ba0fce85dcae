package io.kevo.bench.replication;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kevo.bench.server.Caller;
import io.kevo.bench.workload.Keys;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One writer: puts of fresh keys (numbered from a {@link KeyStream} shared by all writers of a
 * phase) with {@link CompressibleValues}, through the generated stubs (no deadline, no retry). The
 * stubs may carry request metadata (an acknowledgement level). A {@code DEADLINE_EXCEEDED} answer
 * fails the call unless {@code unconfirmedIsCompletion}: then it completes with {@code false} (the
 * primary committed the put but its acknowledgement level was not met in time). Not thread-safe:
 * one per writer, which never has two calls in flight.
 */
final class PutCaller implements Caller, StreamObserver<PutResponse> {
  /** Fresh key numbers for one phase's writers. Thread-safe. */
  static final class KeyStream {
    private final long seed;
    private final long space;
    private final int keySize;
    private final AtomicLong next = new AtomicLong();

    KeyStream(long seed, long space, int keySize) {
      this.seed = seed;
      this.space = space;
      this.keySize = keySize;
    }

    byte[] next() {
      return Keys.random(seed, space, next.getAndIncrement(), keySize);
    }
  }

  private final KevoServiceGrpc.KevoServiceStub async;
  private final KevoServiceGrpc.KevoServiceBlockingStub blocking;
  private final KeyStream keys;
  private final CompressibleValues values;
  private final boolean unconfirmedIsCompletion;
  private PutRequest request;
  private Completion done;

  PutCaller(
      KevoServiceGrpc.KevoServiceStub async,
      KevoServiceGrpc.KevoServiceBlockingStub blocking,
      KeyStream keys,
      CompressibleValues values) {
    this(async, blocking, keys, values, false);
  }

  PutCaller(
      KevoServiceGrpc.KevoServiceStub async,
      KevoServiceGrpc.KevoServiceBlockingStub blocking,
      KeyStream keys,
      CompressibleValues values,
      boolean unconfirmedIsCompletion) {
    this.async = async;
    this.blocking = blocking;
    this.keys = keys;
    this.values = values;
    this.unconfirmedIsCompletion = unconfirmedIsCompletion;
  }

  @Override
  public void prepare() {
    // Fresh arrays, never modified afterwards: wrapping them without a copy is safe.
    request =
        PutRequest.newBuilder()
            .setKey(UnsafeByteOperations.unsafeWrap(keys.next()))
            .setValue(UnsafeByteOperations.unsafeWrap(values.next()))
            .build();
  }

  @Override
  public boolean call() {
    try {
      return blocking.put(request).getSuccess();
    } catch (StatusRuntimeException e) {
      if (unconfirmed(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void call(Completion completion) {
    done = completion;
    async.put(request, this);
  }

  @Override
  public void onNext(PutResponse value) {}

  @Override
  public void onError(Throwable t) {
    if (unconfirmed(t)) {
      done.completed(false);
    } else {
      done.failed(t);
    }
  }

  private boolean unconfirmed(Throwable t) {
    return unconfirmedIsCompletion
        && Status.fromThrowable(t).getCode() == Status.Code.DEADLINE_EXCEEDED;
  }

  @Override
  public void onCompleted() {
    done.completed(true);
  }
}
