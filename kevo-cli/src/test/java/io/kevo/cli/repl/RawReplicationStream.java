package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client side of one {@code StreamWAL} call, built only from the generated stubs and
 * PROTOCOL.md §2: the {@code session-id} response header, responses queued as they arrive, the
 * closing status and trailers. With {@code reads} false it never asks for a message (manual flow
 * control, nothing requested) until {@link #requestAll()}.
 */
final class RawReplicationStream
    implements ClientResponseObserver<WALStreamRequest, WALStreamResponse> {
  static final Metadata.Key<String> SESSION_ID =
      Metadata.Key.of("session-id", Metadata.ASCII_STRING_MARSHALLER);

  private static final Duration RPC_DEADLINE = Duration.ofSeconds(10);

  final AtomicReference<Metadata> headers = new AtomicReference<>();
  final AtomicReference<Metadata> trailers = new AtomicReference<>();
  final LinkedBlockingQueue<WALStreamResponse> responses = new LinkedBlockingQueue<>();
  final CompletableFuture<Status> done = new CompletableFuture<>();
  private final boolean reads;
  private volatile ClientCallStreamObserver<WALStreamRequest> call;

  private RawReplicationStream(boolean reads) {
    this.reads = reads;
  }

  /** Opens {@code StreamWAL(request)} on {@code channel}. */
  static RawReplicationStream open(Channel channel, WALStreamRequest request, boolean reads) {
    RawReplicationStream s = new RawReplicationStream(reads);
    WALReplicationServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(s.headers, s.trailers))
        .streamWAL(request, s);
    return s;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WALStreamRequest> requestStream) {
    this.call = requestStream;
    if (!reads) {
      requestStream.disableAutoRequestWithInitial(0);
    }
  }

  @Override
  public void onNext(WALStreamResponse value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    done.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    done.complete(Status.OK);
  }

  /** The next response; fails if none arrives within {@code within}. */
  WALStreamResponse next(Duration within) throws InterruptedException {
    WALStreamResponse r = responses.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(r)
        .as("a response within %s (stream ended: %s)", within, done.getNow(null))
        .isNotNull();
    return r;
  }

  /** The {@code session-id} response header (waits for the headers). */
  String sessionId() {
    await().atMost(RPC_DEADLINE).until(() -> headers.get() != null || done.isDone());
    assertThat(headers.get())
        .as("response headers (stream ended: %s)", done.getNow(null))
        .isNotNull();
    return headers.get().get(SESSION_ID);
  }

  /** Lets every message through from now on (for a stream opened with {@code reads} false). */
  void requestAll() {
    call.request(Integer.MAX_VALUE);
  }

  /** The closing status, waiting at most {@code within}. */
  Status awaitEnd(Duration within) throws Exception {
    return done.get(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  void cancel() {
    if (call != null) {
      call.cancel("test done", null);
    }
  }

  /** {@code Acknowledge(upTo)} with {@code session} (none if null) as {@code session-id}. */
  static AckResponse ack(Channel channel, String session, long upTo) {
    return blocking(channel, session)
        .acknowledge(Ack.newBuilder().setAcknowledgedUpTo(upTo).build());
  }

  /** {@code NegativeAcknowledge(from)} with {@code session} as {@code session-id}. */
  static NackResponse nack(Channel channel, String session, long from) {
    return blocking(channel, session)
        .negativeAcknowledge(Nack.newBuilder().setMissingFromSequence(from).build());
  }

  private static WALReplicationServiceGrpc.WALReplicationServiceBlockingStub blocking(
      Channel channel, String session) {
    var stub =
        WALReplicationServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    if (session == null) {
      return stub;
    }
    Metadata md = new Metadata();
    md.put(SESSION_ID, session);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }
}
