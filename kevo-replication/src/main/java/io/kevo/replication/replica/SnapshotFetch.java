package io.kevo.replication.replica;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kevo.engine.CheckpointFile;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.StagedCheckpoint;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotData;
import io.kevo.proto.replication.SnapshotFile;
import io.kevo.proto.replication.SnapshotHeader;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.BootstrapProgress;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.JvmFailures;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.ReplicationException.Reason;
import io.kevo.wire.WireMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bootstrap attempt of a {@link Replica}, run on its apply thread: {@code FetchSnapshot}, then
 * the local database is suspended (reads get {@code UNAVAILABLE}: nobody ever reads half a
 * snapshot), the files are written into a {@link StagedCheckpoint} chunk by chunk (each chunk's
 * CRC-32C checked, each file's size and CRC-32C checked, each file fsynced), the checkpoint is
 * sealed (the commit point) and installed with {@link KevoDB#replaceWith}. If anything fails before
 * the seal, the staging directory is discarded and the old contents are served again; the next
 * attempt starts over. A crash leaves an unsealed staging directory (discarded at the next open) or
 * a sealed one (installed at the next open).
 *
 * <p>Flow control: a window of {@link #WINDOW} messages, one more requested per message taken, so a
 * slow disk makes the primary wait. Progress is reported after each chunk and logged at INFO every
 * {@link #LOG_EVERY_NANOS}.
 */
final class SnapshotFetch {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFetch.class);
  private static final int WINDOW = 4;
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The header waits for the primary's flush: allow more than the idle timeout. */
  private static final long HEADER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private record Closed(Throwable error) {}

  private final KevoDB db;
  private final ReplicaOptions options;
  private final String replicaId;
  private final BooleanSupplier stopping;
  private final Consumer<BootstrapProgress> progress;
  private final Runnable checksumFailure;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<SnapshotRequest> call;
  private EpochHistory epochs;

  SnapshotFetch(
      KevoDB db,
      ReplicaOptions options,
      String replicaId,
      BooleanSupplier stopping,
      Consumer<BootstrapProgress> progress,
      Runnable checksumFailure) {
    this.db = db;
    this.options = options;
    this.replicaId = replicaId;
    this.stopping = stopping;
    this.progress = progress;
    this.checksumFailure = checksumFailure;
  }

  /**
   * Fetches and installs a snapshot; returns its sequence (the database's next sequence is one
   * more). Returns -1 if the replica is stopping (nothing installed).
   *
   * @throws ReplicaStreamEnded if the primary refuses, the transfer fails or data is damaged
   */
  long run(Channel channel) {
    long started = System.nanoTime();
    progress.accept(BootstrapProgress.of("", -1, 0, 0, 0, 0, 0));
    WALReplicationServiceGrpc.newStub(channel)
        .fetchSnapshot(
            SnapshotRequest.newBuilder()
                .setReplicaId(replicaId)
                .setListenerAddress(options.listenerAddress())
                .setProtocolVersion(ReplicaOptions.PROTOCOL_VERSION)
                .build(),
            new Observer());
    try {
      SnapshotChunk first = take(HEADER_WAIT_NANOS);
      if (first == null) {
        return -1;
      }
      if (!first.hasHeader()) {
        throw malformed("the snapshot stream did not start with a header");
      }
      return receive(first.getHeader(), started);
    } finally {
      ClientCallStreamObserver<SnapshotRequest> c = call;
      if (c != null) {
        c.cancel("bootstrap attempt over", null);
      }
    }
  }

  private long receive(SnapshotHeader h, long started) {
    List<CheckpointFile> files = new ArrayList<>();
    long total = 0;
    try {
      for (SnapshotFile f : h.getFilesList()) {
        files.add(new CheckpointFile(f.getName(), f.getSize()));
        total += f.getSize();
      }
    } catch (KevoException e) {
      throw malformed("bad snapshot header: " + e.getMessage());
    }
    if (total != h.getTotalBytes()) {
      throw malformed("the snapshot header's sizes do not add up to its total");
    }
    EpochHistory snapshotEpochs;
    try {
      snapshotEpochs = EpochHistory.fromProto(h.getEpochsList());
    } catch (ReplicationException e) {
      throw malformed("bad snapshot header: " + e.getMessage());
    }
    long s = h.getSequence();
    String id = h.getSnapshotId();
    LOG.info(
        "replica {}: bootstrapping from snapshot {} at sequence {}: {} files, {} bytes; reads are"
            + " refused until it is installed",
        replicaId,
        id,
        s,
        files.size(),
        total);
    db.suspend(
        "this replica is bootstrapping from a snapshot of its primary (sequence "
            + s
            + "); read from another node");
    boolean installed = false;
    StagedCheckpoint staged = null;
    try {
      staged = StagedCheckpoint.create(db.directory(), s, files);
      int index = 0;
      CRC32C fileCrc = new CRC32C();
      CRC32C chunkCrc = new CRC32C();
      long lastLog = System.nanoTime();
      while (true) {
        SnapshotChunk c = take(options.idleTimeout().toNanos());
        if (c == null) {
          return -1;
        }
        if (c.hasTrailer()) {
          if (index != files.size() || c.getTrailer().getTotalBytes() != total) {
            throw malformed("the snapshot ended before all its files arrived");
          }
          break;
        }
        if (!c.hasData()) {
          throw malformed("unexpected message in a snapshot stream");
        }
        SnapshotData d = c.getData();
        if (d.getFileIndex() != index || index >= files.size()) {
          throw malformed("chunk of file " + d.getFileIndex() + " while expecting file " + index);
        }
        chunkCrc.reset();
        d.getData().asReadOnlyByteBufferList().forEach(chunkCrc::update);
        if ((int) chunkCrc.getValue() != d.getCrc32C()) {
          checksumFailure.run();
          throw damaged(
              "a snapshot chunk of "
                  + files.get(index).name()
                  + " at offset "
                  + d.getOffset()
                  + " failed its CRC-32C");
        }
        d.getData().asReadOnlyByteBufferList().forEach(fileCrc::update);
        long at = d.getOffset();
        for (java.nio.ByteBuffer b : d.getData().asReadOnlyByteBufferList()) {
          int n = b.remaining();
          staged.write(index, at, b); // refuses an offset out of order
          at += n;
        }
        if (d.getLastInFile()) {
          if ((int) fileCrc.getValue() != d.getFileCrc32C()) {
            checksumFailure.run();
            throw damaged(files.get(index).name() + " failed its whole-file CRC-32C");
          }
          staged.finishFile(index);
          fileCrc.reset();
          index++;
        }
        long now = System.nanoTime();
        BootstrapProgress p =
            BootstrapProgress.of(
                id,
                s,
                staged.bytesWritten(),
                total,
                index,
                files.size(),
                TimeUnit.NANOSECONDS.toMillis(now - started));
        progress.accept(p);
        if (now - lastLog >= LOG_EVERY_NANOS) {
          lastLog = now;
          LOG.info("replica {}: bootstrap {}: {}", replicaId, id, p.describe());
        }
      }
      staged.seal();
      db.replaceWith(staged);
      installed = true;
      // After the install: a crash in between leaves the old history with the new data, which
      // only makes the next start see a divergence and bootstrap again (never the reverse).
      snapshotEpochs.store(db.directory().resolve(ReplicaIdentity.DIRECTORY));
      epochs = snapshotEpochs;
      LOG.info(
          "replica {}: bootstrap {} installed: sequence {}, {} bytes in {} ms; streaming from {}",
          replicaId,
          id,
          s,
          total,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          s + 1);
      return s;
    } catch (KevoException e) {
      throw new ReplicaStreamEnded(
          "bootstrap " + id + " failed: " + e.getMessage(), Reason.POSITION_NOT_RETAINED, false, e);
    } finally {
      if (!installed) {
        if (staged != null) {
          staged.discard();
        }
        // The old contents again (or, if the seal happened, the checkpoint: the open installs it).
        db.resume();
      }
    }
  }

  /** The epoch history installed with the snapshot (after {@link #run} returned a sequence). */
  EpochHistory epochs() {
    return epochs;
  }

  /** The next message; null if the replica is stopping. */
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
        ClientCallStreamObserver<SnapshotRequest> cl = call;
        if (cl != null) {
          cl.request(1);
        }
        return c;
      }
      if (o instanceof Closed closed) {
        throw ended(closed.error());
      }
      if (System.nanoTime() >= deadline) {
        throw new ReplicaStreamEnded(
            "no snapshot data from the primary for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms",
            Reason.POSITION_NOT_RETAINED,
            false,
            null);
      }
    }
    return null;
  }

  private ReplicaStreamEnded ended(Throwable error) {
    if (error == null) {
      return malformed("the primary ended the snapshot stream before its trailer");
    }
    Status st = Status.fromThrowable(error);
    Metadata trailers = Status.trailersFromThrowable(error);
    String kind = trailers == null ? null : trailers.get(WireMetadata.REPL_ERROR);
    if (Reason.BOOTSTRAP_LIMIT.name().equals(kind)) {
      return new ReplicaStreamEnded(
          "the primary already sends as many snapshots as it allows; the bootstrap will be retried",
          Reason.POSITION_NOT_RETAINED,
          false,
          error);
    }
    return new ReplicaStreamEnded(
        (st.getCode() == Status.Code.UNIMPLEMENTED
                ? "the primary serves no snapshots, so this replica cannot bootstrap: "
                : "the snapshot transfer for the bootstrap failed: ")
            + st.getCode()
            + (st.getDescription() != null ? " " + st.getDescription() : ""),
        Reason.POSITION_NOT_RETAINED,
        st.getCode() == Status.Code.UNIMPLEMENTED,
        error);
  }

  private static ReplicaStreamEnded malformed(String message) {
    return new ReplicaStreamEnded(message, Reason.POSITION_NOT_RETAINED, false, null);
  }

  private static ReplicaStreamEnded damaged(String message) {
    return new ReplicaStreamEnded(
        message + "; discarding the transfer and starting over",
        Reason.POSITION_NOT_RETAINED,
        false,
        null);
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
      JvmFailures.handOver(t); // see ReplicaStream.onError
      queue.add(new Closed(t));
    }

    @Override
    public void onCompleted() {
      queue.add(new Closed(null));
    }
  }
}
