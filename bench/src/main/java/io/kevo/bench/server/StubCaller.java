package io.kevo.bench.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.DeleteResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import java.util.function.Predicate;

/**
 * A client speaking {@code kevo.KevoService} through the generated stubs directly: no deadline, no
 * retry, keys and values wrapped without copying. Not thread-safe: one per client.
 */
final class StubCaller implements Caller {
  private final KevoServiceGrpc.KevoServiceBlockingStub blocking;
  private final KevoServiceGrpc.KevoServiceStub async;
  private final RequestDraw draw;
  // One reusable observer per response type: this client never has two calls in flight.
  private final Answer<GetResponse> getAnswer = new Answer<>(GetResponse::getFound);
  private final Answer<PutResponse> putAnswer = new Answer<>(r -> true);
  private final Answer<DeleteResponse> deleteAnswer = new Answer<>(r -> true);
  private final Answer<BatchWriteResponse> batchAnswer = new Answer<>(r -> true);
  private GetRequest get;
  private PutRequest put;
  private DeleteRequest delete;
  private BatchWriteRequest batch;
  private Completion done;

  StubCaller(
      KevoServiceGrpc.KevoServiceBlockingStub blocking,
      KevoServiceGrpc.KevoServiceStub async,
      RequestDraw draw) {
    this.blocking = blocking;
    this.async = async;
    this.draw = draw;
  }

  @Override
  public void prepare() {
    switch (draw.next()) {
      case GET -> get = GetRequest.newBuilder().setKey(wrap(draw.key())).build();
      case PUT ->
          put =
              PutRequest.newBuilder().setKey(wrap(draw.key())).setValue(wrap(draw.value())).build();
      case DELETE -> delete = DeleteRequest.newBuilder().setKey(wrap(draw.key())).build();
      case BATCH -> {
        BatchWriteRequest.Builder b = BatchWriteRequest.newBuilder();
        for (int j = 0; j < draw.batchSize(); j++) {
          b.addOperations(
              Operation.newBuilder()
                  .setType(Operation.Type.PUT)
                  .setKey(wrap(draw.batchKey(j)))
                  .setValue(wrap(draw.batchValue(j))));
        }
        batch = b.build();
      }
    }
  }

  @Override
  public boolean call() {
    return switch (draw.workload()) {
      case GET -> blocking.get(get).getFound();
      case PUT -> blocking.put(put).getSuccess();
      case DELETE -> blocking.delete(delete).getSuccess();
      case BATCH -> blocking.batchWrite(batch).getSuccess();
    };
  }

  @Override
  public void call(Completion completion) {
    done = completion;
    switch (draw.workload()) {
      case GET -> async.get(get, getAnswer);
      case PUT -> async.put(put, putAnswer);
      case DELETE -> async.delete(delete, deleteAnswer);
      case BATCH -> async.batchWrite(batch, batchAnswer);
    }
  }

  /** The arrays are never modified once made (fresh keys, pooled values), so no copy is needed. */
  static ByteString wrap(byte[] bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  private final class Answer<T> implements StreamObserver<T> {
    private final Predicate<T> found;
    private boolean lastFound;

    Answer(Predicate<T> found) {
      this.found = found;
    }

    @Override
    public void onNext(T response) {
      lastFound = found.test(response);
    }

    @Override
    public void onError(Throwable t) {
      done.failed(t);
    }

    @Override
    public void onCompleted() {
      done.completed(lastFound);
    }
  }
}
