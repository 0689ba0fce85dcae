package io.kevo.replication.snapshot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotData;
import io.kevo.proto.replication.SnapshotFile;
import io.kevo.proto.replication.SnapshotHeader;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.SnapshotTrailer;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.snapshot.SnapshotStreamException.Kind;
import io.kevo.wire.WireMetadata;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SnapshotStreamReader} against a scripted {@code FetchSnapshot} on an in-process gRPC
 * server: what a good stream hands to the sink, and the kind of failure of each bad one.
 */
@Timeout(30)
class SnapshotStreamReaderTest {
  private static final Duration IDLE = Duration.ofSeconds(5);
  private static final byte[] TABLE = "table bytes, sent in two chunks".getBytes(UTF_8);
  private static final byte[] MANIFEST = "manifest".getBytes(UTF_8);
  private static final String TABLE_NAME = "00000000000000000007.sst";
  private static final String MANIFEST_NAME = "MANIFEST-3";

  private final AtomicReference<SnapshotRequest> received = new AtomicReference<>();
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Serves every FetchSnapshot call with {@code script}. */
  private void serve(BiConsumer<SnapshotRequest, ServerCallStreamObserver<SnapshotChunk>> script)
      throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new WALReplicationServiceGrpc.WALReplicationServiceImplBase() {
                  @Override
                  public void fetchSnapshot(
                      SnapshotRequest request, StreamObserver<SnapshotChunk> out) {
                    received.set(request);
                    ServerCallStreamObserver<SnapshotChunk> call =
                        (ServerCallStreamObserver<SnapshotChunk>) out;
                    call.setOnCancelHandler(cancelled::countDown);
                    script.accept(request, call);
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  /** Serves {@code messages}, then completes the call. */
  private void serve(List<SnapshotChunk> messages) throws Exception {
    serve(
        (request, out) -> {
          messages.forEach(out::onNext);
          out.onCompleted();
        });
  }

  private boolean read(Recorder sink) {
    return SnapshotStreamReader.read(channel, request(), IDLE, () -> false, sink);
  }

  private static SnapshotRequest request() {
    return SnapshotRequest.newBuilder().setReplicaId("r-1").setMaxChunkBytes(16).build();
  }

  /** The table in two chunks, then the manifest in one, the trailer last. */
  private static List<SnapshotChunk> goodStream() {
    List<SnapshotChunk> s = new ArrayList<>();
    s.add(header(TABLE.length + MANIFEST.length));
    s.add(data(0, 0, slice(TABLE, 0, 16), false, 0));
    s.add(data(0, 16, slice(TABLE, 16, TABLE.length), true, crc(TABLE)));
    s.add(data(1, 0, MANIFEST, true, crc(MANIFEST)));
    s.add(trailer(TABLE.length + MANIFEST.length));
    return s;
  }

  @Test
  void aGoodStreamReachesTheSinkInOrder() throws Exception {
    serve(goodStream());
    Recorder sink = new Recorder();

    assertThat(read(sink)).isTrue();

    assertThat(received.get()).isEqualTo(request());
    assertThat(sink.events)
        .containsExactly(
            "header 7 " + TABLE_NAME + " " + MANIFEST_NAME,
            "data 0 @0 " + new String(TABLE, 0, 16, UTF_8),
            "data 0 @16 " + new String(TABLE, 16, TABLE.length - 16, UTF_8),
            "end 0 " + crc(TABLE),
            "data 1 @0 manifest",
            "end 1 " + crc(MANIFEST));
  }

  @Test
  void aChunkFailingItsCrcIsDamaged() throws Exception {
    List<SnapshotChunk> s = goodStream();
    s.set(
        2,
        SnapshotChunk.newBuilder()
            .setData(s.get(2).getData().toBuilder().setCrc32C(s.get(2).getData().getCrc32C() + 1))
            .build());
    serve(s);
    Recorder sink = new Recorder();

    assertThatThrownBy(() -> read(sink))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DAMAGED))
        .hasMessage("a snapshot chunk of " + TABLE_NAME + " at offset 16 failed its CRC-32C");
    assertThat(sink.events).hasSize(2); // the header and the good chunk, never the bad one
  }

  @Test
  void aWrongWholeFileCrcIsDamaged() throws Exception {
    List<SnapshotChunk> s = goodStream();
    s.set(3, data(1, 0, MANIFEST, true, crc(MANIFEST) ^ 1));
    serve(s);
    Recorder sink = new Recorder();

    assertThatThrownBy(() -> read(sink))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DAMAGED))
        .hasMessage(MANIFEST_NAME + " failed its whole-file CRC-32C");
    assertThat(sink.events).hasSize(5).last().isEqualTo("data 1 @0 manifest"); // no end of file 1
  }

  @Test
  void aStreamCompletedWithoutTrailerEndedEarly() throws Exception {
    List<SnapshotChunk> s = goodStream();
    s.remove(s.size() - 1);
    serve(s);

    assertThatThrownBy(() -> read(new Recorder()))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ENDED_EARLY))
        .hasMessage("the primary ended the snapshot stream before its trailer");
  }

  @Test
  void anErrorStatusIsARefusalWithItsStatusAndTrailers() throws Exception {
    serve(
        (request, out) -> {
          Metadata trailers = new Metadata();
          trailers.put(WireMetadata.REPL_ERROR, "BOOTSTRAP_LIMIT");
          out.onError(
              Status.RESOURCE_EXHAUSTED
                  .withDescription("too many transfers")
                  .asRuntimeException(trailers));
        });

    assertThatThrownBy(() -> read(new Recorder()))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.REFUSED);
              assertThat(e.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.status().getDescription()).isEqualTo("too many transfers");
              assertThat(e.trailers().get(WireMetadata.REPL_ERROR)).isEqualTo("BOOTSTRAP_LIMIT");
              assertThat(Status.fromThrowable(e.getCause()).getCode())
                  .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            })
        .hasMessage("the snapshot transfer failed: RESOURCE_EXHAUSTED too many transfers");
  }

  @Test
  void aHeaderWhoseSizesDoNotAddUpIsMalformed() throws Exception {
    List<SnapshotChunk> s = goodStream();
    s.set(0, header(TABLE.length + MANIFEST.length + 1));
    serve(s);
    Recorder sink = new Recorder();

    assertThatThrownBy(() -> read(sink))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessage("the snapshot header's sizes do not add up to its total");
    assertThat(sink.events).isEmpty();
  }

  @Test
  void aFileOutOfOrderIsMalformed() throws Exception {
    List<SnapshotChunk> s = goodStream();
    s.remove(2); // the table's last chunk: the manifest comes while the table is not done
    serve(s);

    assertThatThrownBy(() -> read(new Recorder()))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessage("chunk of file 1 while expecting file 0");
  }

  @Test
  void aChunkAtTheWrongOffsetIsMalformedBeforeTheSinkSeesIt() throws Exception {
    List<SnapshotChunk> s = goodStream();
    s.set(2, data(0, 17, slice(TABLE, 16, TABLE.length), true, crc(TABLE))); // one byte of gap
    serve(s);
    Recorder sink = new Recorder();

    assertThatThrownBy(() -> read(sink))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED))
        .hasMessage("a chunk of " + TABLE_NAME + " at offset 17 while expecting offset 16");
    assertThat(sink.events)
        .containsExactly(
            "header 7 " + TABLE_NAME + " " + MANIFEST_NAME,
            "data 0 @0 " + new String(TABLE, 0, 16, UTF_8));
  }

  @Test
  void silenceAfterTheHeaderIsAnIdleTimeoutAndCancelsTheCall() throws Exception {
    serve((request, out) -> out.onNext(header(TABLE.length + MANIFEST.length)));

    assertThatThrownBy(
            () ->
                SnapshotStreamReader.read(
                    channel, request(), Duration.ofMillis(300), () -> false, new Recorder()))
        .isInstanceOfSatisfying(
            SnapshotStreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IDLE_TIMEOUT))
        .hasMessage("no snapshot data from the primary for 300 ms");
    assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stoppingEndsTheReadWithFalseAndCancelsTheCall() throws Exception {
    AtomicBoolean stopping = new AtomicBoolean();
    serve((request, out) -> out.onNext(header(TABLE.length + MANIFEST.length)));
    Recorder sink =
        new Recorder() {
          @Override
          public void header(SnapshotHeader header) {
            super.header(header);
            stopping.set(true);
          }
        };

    assertThat(SnapshotStreamReader.read(channel, request(), IDLE, stopping::get, sink)).isFalse();
    assertThat(sink.events).hasSize(1);
    assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void whatTheSinkThrowsPropagatesUnchanged() throws Exception {
    serve(goodStream());
    IllegalStateException thrown = new IllegalStateException("disk full");
    Recorder sink =
        new Recorder() {
          @Override
          public void data(int fileIndex, long offset, List<ByteBuffer> bytes) {
            throw thrown;
          }
        };

    assertThatThrownBy(() -> read(sink)).isSameAs(thrown);
  }

  private static SnapshotChunk header(long total) {
    return SnapshotChunk.newBuilder()
        .setHeader(
            SnapshotHeader.newBuilder()
                .setSnapshotId("snap-1")
                .setSequence(7)
                .addFiles(SnapshotFile.newBuilder().setName(TABLE_NAME).setSize(TABLE.length))
                .addFiles(SnapshotFile.newBuilder().setName(MANIFEST_NAME).setSize(MANIFEST.length))
                .setTotalBytes(total))
        .build();
  }

  private static SnapshotChunk data(
      int file, long offset, byte[] bytes, boolean last, int fileCrc) {
    return SnapshotChunk.newBuilder()
        .setData(
            SnapshotData.newBuilder()
                .setFileIndex(file)
                .setOffset(offset)
                .setData(ByteString.copyFrom(bytes))
                .setCrc32C(crc(bytes))
                .setLastInFile(last)
                .setFileCrc32C(fileCrc))
        .build();
  }

  private static SnapshotChunk trailer(long total) {
    return SnapshotChunk.newBuilder()
        .setTrailer(SnapshotTrailer.newBuilder().setTotalBytes(total).setFileCount(2))
        .build();
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return Arrays.copyOfRange(b, from, to);
  }

  private static int crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b);
    return (int) c.getValue();
  }

  /** Records what it is handed, in order. */
  private static class Recorder implements SnapshotStreamReader.Sink {
    final List<String> events = new ArrayList<>();

    @Override
    public void header(SnapshotHeader header) {
      StringBuilder sb = new StringBuilder("header ").append(header.getSequence());
      header.getFilesList().forEach(f -> sb.append(' ').append(f.getName()));
      events.add(sb.toString());
    }

    @Override
    public void data(int fileIndex, long offset, List<ByteBuffer> bytes) {
      StringBuilder sb = new StringBuilder();
      for (ByteBuffer b : bytes) {
        sb.append(UTF_8.decode(b));
      }
      events.add("data " + fileIndex + " @" + offset + " " + sb);
    }

    @Override
    public void fileEnd(int fileIndex, int crc32c) {
      events.add("end " + fileIndex + " " + crc32c);
    }
  }
}
