package io.kevo.replication.primary;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.WalOperation;
import io.kevo.proto.replication.Ack;
import io.kevo.proto.replication.AckResponse;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.Nack;
import io.kevo.proto.replication.NackResponse;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALEntryBatch;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.proto.replication.WALStreamRequest;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.Compressor;
import io.kevo.replication.PrimaryOptions;
import io.kevo.replication.ServedPrimary;
import io.kevo.replication.wire.CodecCompressor;
import io.kevo.replication.wire.EntryCodec;
import io.kevo.wire.WireMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real {@link KevoDB} in a directory, a {@link Primary} over it, and an in-process gRPC server
 * serving it; plus a minimal replication client built only from the generated stubs and the fields
 * of PROTOCOL.md §2 (with the additions where a test needs them). Closes everything it opened.
 */
final class PrimaryFixture implements AutoCloseable {
  final Path dir;
  final Options dbOptions;
  final PrimaryOptions options;
  KevoDB db;
  Primary primary;
  private ServedPrimary served;
  private ManagedChannel channel;
  private final List<Stream> streams = new ArrayList<>();

  PrimaryFixture(Path dir, Options dbOptions, PrimaryOptions options) throws Exception {
    this.dir = dir;
    this.dbOptions = dbOptions;
    this.options = options;
    start();
  }

  PrimaryFixture(Path dir, PrimaryOptions options) throws Exception {
    this(dir, Options.DEFAULT, options);
  }

  /** Opens the database, the primary and the server (again, after {@link #stop()}). */
  void start() throws Exception {
    db = KevoDB.open(dir, dbOptions);
    served = ServedPrimary.open(db, options);
    primary = served.primary();
    channel = served.channel();
  }

  /** Closes client streams, the channel, the server, the primary and the database. */
  void stop() throws Exception {
    for (Stream s : streams) {
      s.cancel();
    }
    streams.clear();
    served.close();
    db.close();
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static WALStreamRequest from(long start) {
    return WALStreamRequest.newBuilder().setStartSequence(start).setProtocolVersion(1).build();
  }

  /** Writes {@code n} puts {@code k<i>} = {@code value} and returns the last sequence. */
  long putMany(int n, String prefix, byte[] value) {
    long last = 0;
    for (int i = 0; i < n; i++) {
      last = db.put(b(prefix + i), value);
    }
    return last;
  }

  Stream stream(WALStreamRequest request) {
    return stream(request, true);
  }

  /** Opens StreamWAL; with {@code reads} false the client never asks for a message. */
  Stream stream(WALStreamRequest request, boolean reads) {
    Stream s = new Stream(reads);
    WALReplicationServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(s.headers, s.trailers))
        .streamWAL(request, s);
    streams.add(s);
    return s;
  }

  private WALReplicationServiceGrpc.WALReplicationServiceBlockingStub blocking(String session) {
    var stub =
        WALReplicationServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    if (session == null) {
      return stub;
    }
    Metadata md = new Metadata();
    md.put(WireMetadata.SESSION_ID, session);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  AckResponse ack(String session, long upTo) {
    return blocking(session).acknowledge(Ack.newBuilder().setAcknowledgedUpTo(upTo).build());
  }

  NackResponse nack(String session, long from) {
    return blocking(session)
        .negativeAcknowledge(Nack.newBuilder().setMissingFromSequence(from).build());
  }

  /** The client side of one StreamWAL call: responses queue up as they arrive. */
  static final class Stream implements ClientResponseObserver<WALStreamRequest, WALStreamResponse> {
    final AtomicReference<Metadata> headers = new AtomicReference<>();
    final AtomicReference<Metadata> trailers = new AtomicReference<>();
    final LinkedBlockingQueue<WALStreamResponse> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> done = new CompletableFuture<>();
    private final boolean reads;
    private ClientCallStreamObserver<WALStreamRequest> call;

    Stream(boolean reads) {
      this.reads = reads;
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

    void cancel() {
      call.cancel("test done", null);
    }

    /** Asks for {@code n} more messages (for a stream opened with {@code reads} false). */
    void read(int n) {
      call.request(n);
    }

    WALStreamResponse next() throws InterruptedException {
      WALStreamResponse r = responses.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("a response within 10 s").isNotNull();
      return r;
    }

    /** The session id from the response headers (waits for the first response). */
    String sessionId() throws InterruptedException {
      org.awaitility.Awaitility.await("response headers")
          .atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(5))
          .until(() -> headers.get() != null);
      return headers.get().get(WireMetadata.SESSION_ID);
    }

    Status awaitEnd() throws Exception {
      return done.get(15, TimeUnit.SECONDS);
    }
  }

  /**
   * Reassembles operations from responses as a minimal replica would: decompresses (either form),
   * checks every checksum, joins fragments, and remembers batch boundaries.
   */
  static final class Collector {
    final List<WalOperation> ops = new ArrayList<>();
    final List<long[]> batchFields = new ArrayList<>(); // per op: {first, count}
    final List<WALEntry> entries = new ArrayList<>();
    int heartbeats;
    int responses; // with entries
    int ackRequests; // responses with ack_requested
    int fragments;
    long lastPrimarySequence;
    private final Compressor compressor = new CodecCompressor();
    private ByteArrayOutputStream partial;
    private long partialSeq;

    void accept(WALStreamResponse r) {
      assertThat(r.getPrimaryTimeMicros()).isPositive();
      lastPrimarySequence = r.getPrimaryLastSequence();
      if (r.getAckRequested()) {
        ackRequests++;
      }
      List<WALEntry> es = decode(r);
      if (es.isEmpty()) {
        heartbeats++;
      } else {
        responses++;
      }
      for (WALEntry e : es) {
        entries.add(e);
        assertThat(EntryCodec.crc32(e.getPayload().toByteArray()))
            .as("checksum of sequence %d", e.getSequenceNumber())
            .isEqualTo(e.getChecksum());
        switch (e.getFragmentType()) {
          case FULL -> {
            assertThat(partial).isNull();
            op(e, e.getPayload().toByteArray());
          }
          case FIRST -> {
            assertThat(partial).isNull();
            fragments++;
            partial = new ByteArrayOutputStream();
            partialSeq = e.getSequenceNumber();
            partial.writeBytes(e.getPayload().toByteArray());
          }
          case MIDDLE, LAST -> {
            fragments++;
            assertThat(partial).isNotNull();
            assertThat(e.getSequenceNumber()).isEqualTo(partialSeq);
            partial.writeBytes(e.getPayload().toByteArray());
            if (e.getFragmentType() == FragmentType.LAST) {
              byte[] whole = partial.toByteArray();
              partial = null;
              op(e, whole);
            }
          }
          default -> throw new AssertionError("fragment type " + e.getFragmentType());
        }
      }
    }

    private void op(WALEntry e, byte[] payload) {
      WalOperation op = EntryCodec.decode(payload);
      assertThat(op.sequence()).isEqualTo(e.getSequenceNumber());
      ops.add(op);
      batchFields.add(new long[] {e.getBatchFirstSequence(), e.getBatchCount()});
    }

    List<WALEntry> decode(WALStreamResponse r) {
      if (!r.getPackedEntries().isEmpty()) {
        assertThat(r.getEntriesList()).isEmpty();
        try {
          return WALEntryBatch.parseFrom(
                  compressor.decompress(r.getPackedEntries().toByteArray(), r.getCodec()))
              .getEntriesList();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
      if (!r.getCompressed()) {
        return r.getEntriesList();
      }
      List<WALEntry> out = new ArrayList<>();
      for (WALEntry e : r.getEntriesList()) {
        byte[] raw = compressor.decompress(e.getPayload().toByteArray(), r.getCodec());
        out.add(e.toBuilder().setPayload(com.google.protobuf.ByteString.copyFrom(raw)).build());
      }
      return out;
    }

    long lastSequence() {
      return ops.isEmpty() ? 0 : ops.get(ops.size() - 1).sequence();
    }

    /** Takes responses from {@code s} until operations up to {@code sequence} have arrived. */
    void until(Stream s, long sequence) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (lastSequence() < sequence) {
        assertThat(System.nanoTime())
            .as("operations up to %d in time", sequence)
            .isLessThan(deadline);
        accept(s.next());
      }
    }
  }
}
