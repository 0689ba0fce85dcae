package io.kevo.replication.replica;

import static org.assertj.core.api.Assertions.fail;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.wire.ReplicaEntries;
import io.kevo.wire.WireMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A scripted primary on an in-process gRPC server: every StreamWAL call becomes a {@link Stream}
 * the test sends on; acks and nacks are recorded with the session id they carried. Session ids are
 * {@code session-1}, {@code session-2}... in call order.
 */
final class ReplicaFakePrimary implements AutoCloseable {
  private static final Context.Key<String> SESSION = Context.key("session");
  private static final AtomicLong NAMES = new AtomicLong();

  /** An ack or nack as received. */
  record Received(long sequence, String sessionId) {}

  /** One StreamWAL call, scripted by the test. */
  static final class Stream {
    final WALStreamRequest request;
    final String sessionId;
    final long openedNanos = System.nanoTime();
    private final ServerCallStreamObserver<WALStreamResponse> out;

    Stream(
        WALStreamRequest request,
        String sessionId,
        ServerCallStreamObserver<WALStreamResponse> out) {
      this.request = request;
      this.sessionId = sessionId;
      this.out = out;
    }

    synchronized void send(WALStreamResponse r) {
      out.onNext(r);
    }

    void send(List<WALEntry> entries) {
      send(ReplicaEntries.response(entries));
    }

    synchronized void fail(Status status, Metadata trailers) {
      out.onError(status.asRuntimeException(trailers));
    }

    synchronized void complete() {
      out.onCompleted();
    }

    /** Whether the replica has asked for another message (gRPC flow control). */
    boolean isReady() {
      return out.isReady();
    }

    boolean cancelled() {
      return out.isCancelled();
    }
  }

  final LinkedBlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
  final List<WALStreamRequest> requests = new CopyOnWriteArrayList<>();
  final List<Received> acks = new CopyOnWriteArrayList<>();
  final List<Received> nacks = new CopyOnWriteArrayList<>();

  /** When set, Acknowledge calls (once recorded) wait for it. */
  volatile java.util.concurrent.CountDownLatch ackGate;

  /** Refuses a StreamWAL call when it returns non-null. */
  volatile Function<WALStreamRequest, RuntimeException> refusal = r -> null;

  private final AtomicLong sessions = new AtomicLong();
  private final Server server;
  final ManagedChannel channel;

  ReplicaFakePrimary() {
    String name = "fake-primary-" + NAMES.incrementAndGet();
    try {
      server =
          InProcessServerBuilder.forName(name)
              .addService(ServerInterceptors.intercept(new Service(), new SessionInterceptor()))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).build();
  }

  /** The next StreamWAL call (waits up to 10 s). */
  Stream awaitStream() {
    try {
      Stream s = streams.poll(10, TimeUnit.SECONDS);
      if (s == null) {
        fail("the replica did not open a stream within 10 s");
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Metadata trailers(String error, Metadata.Key<String> key, String value) {
    Metadata m = new Metadata();
    m.put(WireMetadata.REPL_ERROR, error);
    if (key != null) {
      m.put(key, value);
    }
    return m;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The epoch history GetEpochs answers with (one term of epoch 1 from sequence 1 by default). */
  volatile EpochHistory epochs =
      EpochHistory.of(List.of(new EpochHistory.Term(1, "fake-term", 1, "fake-node")));

  /** The term StreamWAL's headers name ({@code kevo-epoch-term}); null: none. */
  volatile String streamTerm;

  /** GetEpochs requests received. */
  final List<io.kevo.proto.replication.EpochsRequest> epochRequests = new CopyOnWriteArrayList<>();

  private final class Service extends WALReplicationServiceGrpc.WALReplicationServiceImplBase {
    @Override
    public void getEpochs(
        io.kevo.proto.replication.EpochsRequest request,
        StreamObserver<io.kevo.proto.replication.EpochHistory> observer) {
      epochRequests.add(request);
      observer.onNext(
          io.kevo.proto.replication.EpochHistory.newBuilder()
              .addAllRecords(epochs.toProto())
              .build());
      observer.onCompleted();
    }

    @Override
    public void streamWAL(WALStreamRequest request, StreamObserver<WALStreamResponse> observer) {
      requests.add(request);
      RuntimeException refused = refusal.apply(request);
      if (refused != null) {
        observer.onError(refused);
        return;
      }
      streams.add(
          new Stream(
              request, SESSION.get(), (ServerCallStreamObserver<WALStreamResponse>) observer));
    }

    @Override
    public void acknowledge(Ack request, StreamObserver<AckResponse> observer) {
      acks.add(new Received(request.getAcknowledgedUpTo(), SESSION.get()));
      java.util.concurrent.CountDownLatch gate = ackGate;
      if (gate != null) {
        try {
          gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      observer.onNext(AckResponse.newBuilder().setSuccess(true).build());
      observer.onCompleted();
    }

    @Override
    public void negativeAcknowledge(Nack request, StreamObserver<NackResponse> observer) {
      nacks.add(new Received(request.getMissingFromSequence(), SESSION.get()));
      observer.onNext(NackResponse.newBuilder().setSuccess(true).build());
      observer.onCompleted();
    }
  }

  /** Sends session-id on StreamWAL; exposes the one received on Acknowledge/NegativeAcknowledge. */
  private final class SessionInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (call.getMethodDescriptor().getBareMethodName().equals("StreamWAL")) {
        String id = "session-" + sessions.incrementAndGet();
        ServerCall<Q, R> withHeader =
            new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
              @Override
              public void sendHeaders(Metadata h) {
                h.put(WireMetadata.SESSION_ID, id);
                String term = streamTerm;
                if (term != null) {
                  h.put(WireMetadata.EPOCH_TERM, term);
                }
                super.sendHeaders(h);
              }
            };
        return Contexts.interceptCall(
            Context.current().withValue(SESSION, id), withHeader, headers, next);
      }
      String id = headers.get(WireMetadata.SESSION_ID);
      return Contexts.interceptCall(Context.current().withValue(SESSION, id), call, headers, next);
    }
  }
}
