package io.kevo.replication.replica;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.JvmFailures;
import io.kevo.wire.WireMetadata;
import java.util.concurrent.BlockingQueue;

/**
 * One {@code StreamWAL} call. gRPC's callbacks only enqueue {@link Event}s for the apply thread;
 * nothing is applied on a gRPC thread.
 *
 * <p>Flow control is manual: the call starts with a window of {@code window} messages and the apply
 * thread reports each message it takes from the queue ({@link #taken()}); once half a window has
 * been taken it asks for that many more, so at most {@code window} messages of this stream are ever
 * queued or buffered, however fast the primary sends, and at least half a window is always asked
 * for. Why not one at a time: each request is a task handed to the transport's event loop, a
 * wake-up per message. Besides messages a stream enqueues at most one {@link Headers} and one
 * {@link Closed}.
 *
 * <p>Thread-safety: the callbacks run on gRPC threads; {@link #taken()} is called by the apply
 * thread only; {@link #cancel} may be called from any thread (gRPC serializes it).
 */
final class ReplicaStream implements ClientResponseObserver<WALStreamRequest, WALStreamResponse> {
  /** Something that happened on a stream, in the order it happened. */
  sealed interface Event permits Headers, Message, Closed {
    ReplicaStream stream();
  }

  /** The primary's response headers arrived. */
  /**
   * @param epochTerm the primary's {@code kevo-epoch-term} header, or null
   */
  record Headers(ReplicaStream stream, String sessionId, String epochTerm) implements Event {}

  /** A response message (entries or a heartbeat). */
  record Message(ReplicaStream stream, WALStreamResponse response) implements Event {}

  /** The call ended: {@code error} null if the primary completed it. */
  record Closed(ReplicaStream stream, Throwable error) implements Event {}

  private final long id;
  private final BlockingQueue<Object> events;
  private final int window;
  private final int requestBatch;
  private int taken; // apply thread: messages taken since the last request
  private volatile ClientCallStreamObserver<WALStreamRequest> call;

  ReplicaStream(long id, BlockingQueue<Object> events, int window) {
    this.id = id;
    this.events = events;
    this.window = window;
    this.requestBatch = Math.max(1, window / 2);
  }

  /** Starts the call on {@code channel}. */
  void start(Channel channel, WALStreamRequest request) {
    WALReplicationServiceGrpc.newStub(channel)
        .withInterceptors(new HeaderCapture())
        .streamWAL(request, this);
  }

  long id() {
    return id;
  }

  /** The apply thread took a message: lets the primary send more once half a window was taken. */
  void taken() {
    if (++taken < requestBatch) {
      return;
    }
    int n = taken;
    taken = 0;
    ClientCallStreamObserver<WALStreamRequest> c = call;
    if (c != null) {
      c.request(n);
    }
  }

  /** Ends the call from this side (a {@link Closed} event follows). */
  void cancel(String why) {
    ClientCallStreamObserver<WALStreamRequest> c = call;
    if (c != null) {
      c.cancel(why, null);
    }
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WALStreamRequest> requestStream) {
    call = requestStream;
    requestStream.disableAutoRequestWithInitial(window);
  }

  @Override
  public void onNext(WALStreamResponse value) {
    events.add(new Message(this, value));
  }

  @Override
  public void onError(Throwable t) {
    // gRPC turns an error in its own handling of a response (parsing it, say) into a cancelled
    // call; one the JVM threw must not pass as a mere reconnect.
    JvmFailures.handOver(t);
    events.add(new Closed(this, t));
  }

  @Override
  public void onCompleted() {
    events.add(new Closed(this, null));
  }

  /** Reports the response headers (the session id) as an event. */
  private final class HeaderCapture implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(
              new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onHeaders(Metadata h) {
                  events.add(
                      new Headers(
                          ReplicaStream.this,
                          h.get(WireMetadata.SESSION_ID),
                          h.get(WireMetadata.EPOCH_TERM)));
                  super.onHeaders(h);
                }
              },
              headers);
        }
      };
    }
  }
}
