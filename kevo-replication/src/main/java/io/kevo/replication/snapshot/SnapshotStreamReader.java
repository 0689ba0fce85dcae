package io.kevo.replication.snapshot;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotData;
import io.kevo.proto.replication.SnapshotFile;
import io.kevo.proto.replication.SnapshotHeader;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.JvmFailures;
import io.kevo.replication.snapshot.SnapshotStreamException.Kind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * Reads one {@code FetchSnapshot} stream on the calling thread and hands its checked contents to a
 * {@link Sink}: the header once its file sizes add up to its total, each file's bytes in file order
 * and without gaps (every chunk's offset and CRC-32C checked before the sink sees it), each file's
 * end once its whole-file CRC-32C checked, until a trailer that says every file arrived. Whatever
 * goes wrong on the way is a {@link SnapshotStreamException} of one {@link Kind}; what the sink
 * throws propagates unchanged. The call is cancelled when the read ends, however it ends.
 *
 * <p>Flow control: a window of {@link #WINDOW} messages, one more requested per message taken, so a
 * slow sink makes the sender wait. The header may take {@link #HEADER_WAIT} (the sender flushes
 * first); every later message must come within the idle timeout. A stop request is noticed within
 * about 100 ms.
 *
 * <p>Thread-safe: {@link #read} keeps its state to itself; gRPC's threads only enqueue.
 */
public final class SnapshotStreamReader {
  /** Where the checked contents go, on the reading thread. */
  public interface Sink {
    /** The header; its file sizes add up to its total. */
    void header(SnapshotHeader header);

    /** The next bytes of file {@code fileIndex}, to go at {@code offset}; their CRC-32C checked. */
    void data(int fileIndex, long offset, List<ByteBuffer> bytes);

    /** File {@code fileIndex} is complete; {@code crc32c} is its checked CRC-32C. */
    void fileEnd(int fileIndex, int crc32c);
  }

  static final int WINDOW = 4;

  /** The header waits for the sender's flush: allow more than an idle timeout. */
  static final Duration HEADER_WAIT = Duration.ofSeconds(60);

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private record Closed(Throwable error) {}

  private final BooleanSupplier stopping;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<SnapshotRequest> call;

  private SnapshotStreamReader(BooleanSupplier stopping) {
    this.stopping = stopping;
  }

  /**
   * Calls {@code FetchSnapshot} with {@code request} and reads the whole stream into {@code sink}.
   *
   * @param idleTimeout how long to wait for each message after the header
   * @param stopping polled while waiting: true ends the read
   * @return true once the trailer checked out; false if {@code stopping} said so or the thread was
   *     interrupted (its interrupt flag then stays set)
   * @throws SnapshotStreamException if the call failed or what it sent did not check out
   */
  public static boolean read(
      Channel channel,
      SnapshotRequest request,
      Duration idleTimeout,
      BooleanSupplier stopping,
      Sink sink) {
    SnapshotStreamReader reader = new SnapshotStreamReader(stopping);
    WALReplicationServiceGrpc.newStub(channel).fetchSnapshot(request, reader.new Observer());
    try {
      return reader.receive(idleTimeout.toNanos(), sink);
    } finally {
      reader.call.cancel("snapshot read over", null);
    }
  }

  private boolean receive(long idleNanos, Sink sink) {
    SnapshotChunk first = take(HEADER_WAIT.toNanos());
    if (first == null) {
      return false;
    }
    if (!first.hasHeader()) {
      throw malformed("the snapshot stream did not start with a header");
    }
    SnapshotHeader h = first.getHeader();
    long total = 0;
    for (SnapshotFile f : h.getFilesList()) {
      total += f.getSize();
    }
    if (total != h.getTotalBytes()) {
      throw malformed("the snapshot header's sizes do not add up to its total");
    }
    sink.header(h);
    int index = 0;
    long offset = 0; // of the next byte of file `index`
    CRC32C fileCrc = new CRC32C();
    CRC32C chunkCrc = new CRC32C();
    while (true) {
      SnapshotChunk c = take(idleNanos);
      if (c == null) {
        return false;
      }
      if (c.hasTrailer()) {
        if (index != h.getFilesCount() || c.getTrailer().getTotalBytes() != total) {
          throw malformed("the snapshot ended before all its files arrived");
        }
        return true;
      }
      if (!c.hasData()) {
        throw malformed("unexpected message in a snapshot stream");
      }
      SnapshotData d = c.getData();
      if (d.getFileIndex() != index || index >= h.getFilesCount()) {
        throw malformed("chunk of file " + d.getFileIndex() + " while expecting file " + index);
      }
      if (d.getOffset() != offset) {
        throw malformed(
            "a chunk of "
                + h.getFiles(index).getName()
                + " at offset "
                + d.getOffset()
                + " while expecting offset "
                + offset);
      }
      List<ByteBuffer> bytes = d.getData().asReadOnlyByteBufferList();
      chunkCrc.reset();
      bytes.forEach(b -> chunkCrc.update(b.duplicate()));
      if ((int) chunkCrc.getValue() != d.getCrc32C()) {
        throw damaged(
            "a snapshot chunk of "
                + h.getFiles(index).getName()
                + " at offset "
                + d.getOffset()
                + " failed its CRC-32C");
      }
      bytes.forEach(b -> fileCrc.update(b.duplicate()));
      sink.data(index, offset, bytes);
      offset += d.getData().size();
      if (d.getLastInFile()) {
        int crc = (int) fileCrc.getValue();
        if (crc != d.getFileCrc32C()) {
          throw damaged(h.getFiles(index).getName() + " failed its whole-file CRC-32C");
        }
        sink.fileEnd(index, crc);
        fileCrc.reset();
        offset = 0;
        index++;
      }
    }
  }

  /** The next message; null if stopping or interrupted. */
  private SnapshotChunk take(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!stopping.getAsBoolean()) {
      Object o;
      try {
        o = queue.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (o instanceof SnapshotChunk c) {
        call.request(1);
        return c;
      }
      if (o instanceof Closed closed) {
        throw closed(closed.error());
      }
      if (System.nanoTime() >= deadline) {
        throw new SnapshotStreamException(
            Kind.IDLE_TIMEOUT,
            "no snapshot data from the primary for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms",
            null);
      }
    }
    return null;
  }

  private static SnapshotStreamException closed(Throwable error) {
    if (error == null) {
      return new SnapshotStreamException(
          Kind.ENDED_EARLY, "the primary ended the snapshot stream before its trailer", null);
    }
    Status st = Status.fromThrowable(error);
    return new SnapshotStreamException(
        Kind.REFUSED,
        "the snapshot transfer failed: "
            + st.getCode()
            + (st.getDescription() != null ? " " + st.getDescription() : ""),
        error);
  }

  private static SnapshotStreamException malformed(String message) {
    return new SnapshotStreamException(Kind.MALFORMED, message, null);
  }

  private static SnapshotStreamException damaged(String message) {
    return new SnapshotStreamException(Kind.DAMAGED, message, null);
  }

  private final class Observer implements ClientResponseObserver<SnapshotRequest, SnapshotChunk> {
    @Override
    public void beforeStart(ClientCallStreamObserver<SnapshotRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(WINDOW);
    }

    @Override
    public void onNext(SnapshotChunk value) {
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
      JvmFailures.handOver(t); // one the JVM threw must not pass as a mere failed call
      queue.add(new Closed(t));
    }

    @Override
    public void onCompleted() {
      queue.add(new Closed(null));
    }
  }
}
