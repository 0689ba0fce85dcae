package io.kevo.bench.replication;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.StreamObserver;
import io.kevo.bench.server.Caller;
import io.kevo.bench.workload.Keys;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One writer: puts of fresh keys (numbered from a {@link KeyStream} shared by all writers of a
 * phase) with {@link CompressibleValues}, through the generated stubs (no deadline, no retry). Not
 * thread-safe: one per writer, which never has two calls in flight.
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
  private PutRequest request;
  private Completion done;

  PutCaller(
      KevoServiceGrpc.KevoServiceStub async,
      KevoServiceGrpc.KevoServiceBlockingStub blocking,
      KeyStream keys,
      CompressibleValues values) {
    this.async = async;
    this.blocking = blocking;
    this.keys = keys;
    this.values = values;
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
    return blocking.put(request).getSuccess();
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
    done.failed(t);
  }

  @Override
  public void onCompleted() {
    done.completed(true);
  }
}
