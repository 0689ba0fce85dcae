package io.kevo.backup;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotData;
import io.kevo.proto.replication.SnapshotHeader;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.ReplicaOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Receives one {@code FetchSnapshot} stream for a backup and hands its checked contents to a {@link
 * Sink}: the header, then each file's bytes in order (every chunk's CRC-32C checked before the sink
 * sees it), then each file's end with its whole-file CRC-32C checked. Flow control as a replica's
 * bootstrap: a window of {@link #WINDOW} messages, one more requested per message taken, so a slow
 * backup disk makes the primary wait.
 *
 * <p>The request carries no replica id: the primary treats such a transfer as one-shot. It pins the
 * snapshot's files and log only while it sends, and releases both at the end (see {@code
 * Retention.bootstrapped} in kevo-replication), so a backup never leaves the primary holding WAL.
 *
 * <p>Not thread-safe: one receiving thread; gRPC's threads only enqueue.
 */
final class SnapshotReceiver {
  /** Where the checked contents go. Called on the receiving thread. */
  interface Sink {
    void header(SnapshotHeader header);

    void data(int fileIndex, List<ByteBuffer> bytes);

    /** File {@code fileIndex} is complete; {@code crc32c} is its checked CRC-32C. */
    void fileEnd(int fileIndex, int crc32c);
  }

  private static final int WINDOW = 4;

  /** The header waits for the primary's flush. */
  private static final Duration HEADER_WAIT = Duration.ofSeconds(60);

  private record Closed(Throwable error) {}

  private final Duration idleTimeout;
  private final int maxChunkBytes;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<SnapshotRequest> call;

  /**
   * @param idleTimeout how long to wait for the next message before giving up
   * @param maxChunkBytes the largest chunk wanted (0: the primary's default)
   */
  SnapshotReceiver(Duration idleTimeout, int maxChunkBytes) {
    this.idleTimeout = idleTimeout;
    this.maxChunkBytes = maxChunkBytes;
  }

  /**
   * Receives the whole stream into {@code sink}.
   *
   * @throws BackupException if the primary refuses, the stream breaks or data is damaged
   */
  void receive(Channel channel, Sink sink) {
    WALReplicationServiceGrpc.newStub(channel)
        .fetchSnapshot(
            SnapshotRequest.newBuilder()
                .setReplicaId("") // one-shot: nothing is held for us after the transfer
                .setProtocolVersion(ReplicaOptions.PROTOCOL_VERSION)
                .setMaxChunkBytes(maxChunkBytes)
                .build(),
            new Observer());
    try {
      SnapshotChunk first = take(HEADER_WAIT);
      if (!first.hasHeader()) {
        throw new BackupException("the snapshot stream did not start with a header");
      }
      SnapshotHeader h = first.getHeader();
      sink.header(h);
      int files = h.getFilesCount();
      int index = 0;
      CRC32C fileCrc = new CRC32C();
      CRC32C chunkCrc = new CRC32C();
      while (true) {
        SnapshotChunk c = take(idleTimeout);
        if (c.hasTrailer()) {
          if (index != files || c.getTrailer().getTotalBytes() != h.getTotalBytes()) {
            throw new BackupException("the snapshot ended before all its files arrived");
          }
          return;
        }
        if (!c.hasData()) {
          throw new BackupException("unexpected message in a snapshot stream");
        }
        SnapshotData d = c.getData();
        if (d.getFileIndex() != index || index >= files) {
          throw new BackupException(
              "chunk of file " + d.getFileIndex() + " while expecting file " + index);
        }
        List<ByteBuffer> bytes = d.getData().asReadOnlyByteBufferList();
        chunkCrc.reset();
        bytes.forEach(b -> chunkCrc.update(b.duplicate()));
        if ((int) chunkCrc.getValue() != d.getCrc32C()) {
          throw new BackupException(
              "a chunk of "
                  + h.getFiles(index).getName()
                  + " at offset "
                  + d.getOffset()
                  + " failed its CRC-32C on the way; nothing of this backup was kept");
        }
        bytes.forEach(b -> fileCrc.update(b.duplicate()));
        sink.data(index, bytes);
        if (d.getLastInFile()) {
          int crc = (int) fileCrc.getValue();
          if (crc != d.getFileCrc32C()) {
            throw new BackupException(
                h.getFiles(index).getName()
                    + " failed its whole-file CRC-32C on the way; nothing of this backup was kept");
          }
          sink.fileEnd(index, crc);
          fileCrc.reset();
          index++;
        }
      }
    } finally {
      ClientCallStreamObserver<SnapshotRequest> c = call;
      if (c != null) {
        c.cancel("backup receiver done", null);
      }
    }
  }

  private SnapshotChunk take(Duration timeout) {
    Object o;
    try {
      o = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupException("interrupted while receiving the snapshot", e);
    }
    if (o == null) {
      throw new BackupException(
          "no snapshot data from the primary for " + timeout.toMillis() + " ms");
    }
    if (o instanceof Closed closed) {
      if (closed.error() == null) {
        throw new BackupException("the primary ended the snapshot stream before its trailer");
      }
      Status st = Status.fromThrowable(closed.error());
      boolean notPrimary =
          st.getCode() == Status.Code.FAILED_PRECONDITION
              || st.getCode() == Status.Code.UNIMPLEMENTED;
      throw new BackupException(
          (notPrimary
                  ? "the node refused the snapshot transfer: "
                  : "the snapshot transfer failed: ")
              + st.getCode()
              + (st.getDescription() != null ? " " + st.getDescription() : "")
              + (notPrimary ? " (back up a node started with --role primary)" : ""),
          closed.error());
    }
    ClientCallStreamObserver<SnapshotRequest> c = call;
    if (c != null) {
      c.request(1);
    }
    return (SnapshotChunk) o;
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
      queue.add(new Closed(t));
    }

    @Override
    public void onCompleted() {
      queue.add(new Closed(null));
    }
  }
}
