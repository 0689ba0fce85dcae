package io.kevo.replication.replica;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.kevo.engine.CheckpointFile;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.StagedCheckpoint;
import io.kevo.proto.replication.SnapshotFile;
import io.kevo.proto.replication.SnapshotHeader;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.replication.BootstrapProgress;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaIdentity;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.ReplicationException.Reason;
import io.kevo.replication.snapshot.SnapshotStreamException;
import io.kevo.replication.snapshot.SnapshotStreamReader;
import io.kevo.wire.WireMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bootstrap attempt of a {@link Replica}, run on its apply thread: {@code FetchSnapshot} read
 * by a {@link SnapshotStreamReader} (each chunk's CRC-32C and each file's CRC-32C checked there),
 * then, once the header checked out, the local database is suspended (reads get {@code
 * UNAVAILABLE}: nobody ever reads half a snapshot), the files are written into a {@link
 * StagedCheckpoint} chunk by chunk (each file's size checked and each file fsynced), the checkpoint
 * is sealed (the commit point) and installed with {@link KevoDB#replaceWith}. If anything fails
 * before the seal, the staging directory is discarded and the old contents are served again; the
 * next attempt starts over. A crash leaves an unsealed staging directory (discarded at the next
 * open) or a sealed one (installed at the next open).
 *
 * <p>Progress is reported after each chunk and each file and logged at INFO every {@link
 * #LOG_EVERY_NANOS}.
 *
 * <p>Not thread-safe: one {@link #run} on the apply thread.
 */
final class SnapshotFetch {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFetch.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final KevoDB db;
  private final ReplicaOptions options;
  private final String replicaId;
  private final BooleanSupplier stopping;
  private final Consumer<BootstrapProgress> progress;
  private final Runnable checksumFailure;
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
    Staging staging = new Staging(started);
    try {
      boolean complete =
          SnapshotStreamReader.read(
              channel,
              SnapshotRequest.newBuilder()
                  .setReplicaId(replicaId)
                  .setListenerAddress(options.listenerAddress())
                  .setProtocolVersion(ReplicaOptions.PROTOCOL_VERSION)
                  .setRangeStart(ByteString.copyFrom(options.keyRange().start()))
                  .setRangeEnd(
                      options.keyRange().end() == null
                          ? ByteString.EMPTY
                          : ByteString.copyFrom(options.keyRange().end()))
                  .build(),
              options.idleTimeout(),
              stopping,
              staging);
      return complete ? staging.install() : -1;
    } catch (SnapshotStreamException e) {
      throw ended(e);
    } catch (KevoException e) {
      if (!staging.suspended) {
        throw e; // the suspension itself failed: the database is closed
      }
      throw new ReplicaStreamEnded(
          "bootstrap " + staging.id + " failed: " + e.getMessage(),
          Reason.POSITION_NOT_RETAINED,
          false,
          e);
    } finally {
      staging.discardUnlessInstalled();
    }
  }

  /** The epoch history installed with the snapshot (after {@link #run} returned a sequence). */
  EpochHistory epochs() {
    return epochs;
  }

  private ReplicaStreamEnded ended(SnapshotStreamException e) {
    return switch (e.kind()) {
      case REFUSED -> refused(e);
      case DAMAGED -> {
        checksumFailure.run();
        yield failed(e.getMessage() + "; discarding the transfer and starting over");
      }
      case ENDED_EARLY, MALFORMED, IDLE_TIMEOUT -> failed(e.getMessage());
    };
  }

  private static ReplicaStreamEnded refused(SnapshotStreamException e) {
    Status st = e.status();
    Metadata trailers = e.trailers();
    String kind = trailers == null ? null : trailers.get(WireMetadata.REPL_ERROR);
    if (Reason.BOOTSTRAP_LIMIT.name().equals(kind)) {
      return new ReplicaStreamEnded(
          "the primary already sends as many snapshots as it allows; the bootstrap will be retried",
          Reason.POSITION_NOT_RETAINED,
          false,
          e.getCause());
    }
    return new ReplicaStreamEnded(
        (st.getCode() == Status.Code.UNIMPLEMENTED
                ? "the primary serves no snapshots, so this replica cannot bootstrap: "
                : "the snapshot transfer for the bootstrap failed: ")
            + st.getCode()
            + (st.getDescription() != null ? " " + st.getDescription() : ""),
        Reason.POSITION_NOT_RETAINED,
        st.getCode() == Status.Code.UNIMPLEMENTED,
        e.getCause());
  }

  private static ReplicaStreamEnded failed(String message) {
    return new ReplicaStreamEnded(message, Reason.POSITION_NOT_RETAINED, false, null);
  }

  /** The checked contents into a staged checkpoint, the database suspended meanwhile. */
  private final class Staging implements SnapshotStreamReader.Sink {
    private final long started;
    private long lastLog;
    private String id;
    private long sequence;
    private long total;
    private List<CheckpointFile> files;
    private EpochHistory snapshotEpochs;
    private boolean suspended;
    private StagedCheckpoint staged;
    private boolean installed;

    Staging(long started) {
      this.started = started;
    }

    @Override
    public void header(SnapshotHeader h) {
      files = new ArrayList<>();
      try {
        for (SnapshotFile f : h.getFilesList()) {
          files.add(new CheckpointFile(f.getName(), f.getSize()));
        }
      } catch (KevoException e) {
        throw failed("bad snapshot header: " + e.getMessage());
      }
      try {
        snapshotEpochs = EpochHistory.fromProto(h.getEpochsList());
      } catch (ReplicationException e) {
        throw failed("bad snapshot header: " + e.getMessage());
      }
      id = h.getSnapshotId();
      sequence = h.getSequence();
      total = h.getTotalBytes();
      LOG.info(
          "replica {}: bootstrapping from snapshot {} at sequence {}: {} files, {} bytes; reads are"
              + " refused until it is installed",
          replicaId,
          id,
          sequence,
          files.size(),
          total);
      db.suspend(
          "this replica is bootstrapping from a snapshot of its primary (sequence "
              + sequence
              + "); read from another node");
      suspended = true;
      staged = StagedCheckpoint.create(db.directory(), sequence, files, options.keyRange());
      lastLog = System.nanoTime();
    }

    @Override
    public void data(int fileIndex, long offset, List<ByteBuffer> bytes) {
      long at = offset;
      for (ByteBuffer b : bytes) {
        int n = b.remaining();
        staged.write(fileIndex, at, b); // refuses an offset out of order
        at += n;
      }
      report(fileIndex);
    }

    @Override
    public void fileEnd(int fileIndex, int crc32c) {
      staged.finishFile(fileIndex);
      report(fileIndex + 1);
    }

    private void report(int filesDone) {
      long now = System.nanoTime();
      BootstrapProgress p =
          BootstrapProgress.of(
              id,
              sequence,
              staged.bytesWritten(),
              total,
              filesDone,
              files.size(),
              TimeUnit.NANOSECONDS.toMillis(now - started));
      progress.accept(p);
      if (now - lastLog >= LOG_EVERY_NANOS) {
        lastLog = now;
        LOG.info("replica {}: bootstrap {}: {}", replicaId, id, p.describe());
      }
    }

    /** Seals and installs the complete checkpoint, then stores its epochs; returns its sequence. */
    long install() {
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
          sequence,
          total,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          sequence + 1);
      return sequence;
    }

    /** After a failure or a stop: the old contents again (or, if sealed, the checkpoint). */
    void discardUnlessInstalled() {
      if (suspended && !installed) {
        if (staged != null) {
          staged.discard();
        }
        db.resume();
      }
    }
  }
}
