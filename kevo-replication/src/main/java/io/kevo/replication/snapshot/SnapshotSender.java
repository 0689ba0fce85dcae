package io.kevo.replication.snapshot;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.kevo.engine.Checkpoint;
import io.kevo.engine.CheckpointFile;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KeyRange;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotData;
import io.kevo.proto.replication.SnapshotFile;
import io.kevo.proto.replication.SnapshotHeader;
import io.kevo.proto.replication.SnapshotTrailer;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.StatusMapping;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code FetchSnapshot} call on the primary: takes a {@link Checkpoint} of the database (of the
 * learner's key range only, if it asked for one), sends its header, its files in chunks and a
 * trailer, then hands the checkpoint's WAL hold to the replica's retention entry (see {@link
 * SnapshotTransfers.HoldHandOver}).
 *
 * <p>Flow control: chunks are read and sent only while the call {@code isReady()}; gRPC's {@code
 * onReady} callback schedules the next burst on the transfers' executor, so a slow replica makes
 * the primary wait, never buffer, and no file is read on a gRPC thread. At most one burst runs at a
 * time (the pump is synchronized); cancellation by the replica, a failure, or {@link #abort} ends
 * the transfer and releases the checkpoint (its pinned files and its log hold).
 */
final class SnapshotSender {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

  private final SnapshotTransfers owner;
  private final KevoDB db;
  final String id;
  final String replicaId;
  final String address;
  private final KeyRange range;
  private final ServerCallStreamObserver<SnapshotChunk> out;
  private final int chunkBytes;
  private final Executor executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  final long startedMillis;

  // Pump state, guarded by this.
  private Checkpoint checkpoint;
  private List<CheckpointFile> files;
  private int fileIndex;
  private long offset;
  private final CRC32C fileCrc = new CRC32C();
  private boolean ended;

  private volatile StatusRuntimeException abort;
  private volatile boolean cancelled;
  volatile long sequence = -1;
  volatile long totalBytes;
  volatile long bytesSent;
  volatile long lastProgressMillis;

  SnapshotSender(
      SnapshotTransfers owner,
      KevoDB db,
      String id,
      String replicaId,
      String address,
      KeyRange range,
      ServerCallStreamObserver<SnapshotChunk> out,
      int chunkBytes,
      Executor executor,
      long nowMillis) {
    this.owner = owner;
    this.db = db;
    this.id = id;
    this.replicaId = replicaId;
    this.address = address;
    this.range = range;
    this.out = out;
    this.chunkBytes = chunkBytes;
    this.executor = executor;
    this.startedMillis = nowMillis;
    this.lastProgressMillis = nowMillis;
  }

  /** Installs the call's handlers (on the calling gRPC thread, as gRPC requires) and starts. */
  void start() {
    out.setOnReadyHandler(this::schedule);
    out.setOnCancelHandler(
        () -> {
          cancelled = true;
          schedule();
        });
    schedule();
  }

  /** Ends the transfer with {@code status} (primary closing, stalled replica). */
  void abort(StatusRuntimeException status) {
    abort = status;
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::run);
      } catch (RuntimeException e) {
        // Executor shut down: the primary is closing; release what we hold.
        scheduled.set(false);
        synchronized (this) {
          finish(false, "the primary is closing");
        }
      }
    }
  }

  private void run() {
    scheduled.set(false);
    synchronized (this) {
      pump();
    }
  }

  private void pump() {
    if (ended) {
      return;
    }
    try {
      if (cancelled) {
        finish(false, "cancelled by the replica");
        return;
      }
      StatusRuntimeException a = abort;
      if (a != null) {
        out.onError(a);
        finish(false, a.getStatus().getDescription());
        return;
      }
      if (checkpoint == null) {
        begin();
      }
      while (out.isReady() && !cancelled && abort == null) {
        if (fileIndex == files.size()) {
          out.onNext(
              SnapshotChunk.newBuilder()
                  .setTrailer(
                      SnapshotTrailer.newBuilder()
                          .setTotalBytes(bytesSent)
                          .setFileCount(files.size()))
                  .build());
          // Before the stream ends: whoever saw its end (a backup, a replica about to stream from
          // the snapshot's sequence) finds the transfer counted and the log hold handed over.
          finish(true, null);
          out.onCompleted();
          return;
        }
        sendChunk();
      }
      if (cancelled || abort != null) {
        schedule();
      }
    } catch (RuntimeException e) {
      if (!cancelled) {
        try {
          out.onError(StatusMapping.toStatus(e));
        } catch (RuntimeException ignored) {
          // the call is already gone
        }
      }
      finish(false, e.toString());
    }
  }

  private void begin() {
    long primaryLast = db.wal().nextSequence() - 1;
    checkpoint = db.checkpoint(range);
    files = checkpoint.files();
    sequence = checkpoint.sequence();
    totalBytes = checkpoint.totalBytes();
    SnapshotHeader.Builder h =
        SnapshotHeader.newBuilder()
            .setSnapshotId(id)
            .setSequence(sequence)
            .setTotalBytes(totalBytes)
            .setPrimaryLastSequence(Math.max(primaryLast, sequence))
            .addAllEpochs(owner.epochs().toProto());
    for (CheckpointFile f : files) {
      h.addFiles(SnapshotFile.newBuilder().setName(f.name()).setSize(f.size()));
    }
    out.onNext(SnapshotChunk.newBuilder().setHeader(h).build());
    lastProgressMillis = owner.nowMillis();
    LOG.info(
        "snapshot {} for replica '{}' ({}){}: sequence {}, {} files, {} bytes",
        id,
        replicaId,
        address,
        range.isAll() ? "" : " of the keys " + range,
        sequence,
        files.size(),
        totalBytes);
  }

  private void sendChunk() {
    CheckpointFile f = files.get(fileIndex);
    int want = (int) Math.min(chunkBytes, f.size() - offset);
    byte[] bytes = new byte[want];
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      if (checkpoint.read(fileIndex, offset + buf.position(), buf) == 0) {
        throw new IllegalStateException(f.name() + " ended before its " + f.size() + " bytes");
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    fileCrc.update(bytes);
    boolean last = offset + want == f.size();
    SnapshotData.Builder d =
        SnapshotData.newBuilder()
            .setFileIndex(fileIndex)
            .setOffset(offset)
            .setData(UnsafeByteOperations.unsafeWrap(bytes))
            .setCrc32C((int) crc.getValue())
            .setLastInFile(last);
    if (last) {
      d.setFileCrc32C((int) fileCrc.getValue());
    }
    out.onNext(SnapshotChunk.newBuilder().setData(d).build());
    offset += want;
    bytesSent += want;
    owner.sent(want);
    lastProgressMillis = owner.nowMillis();
    if (last) {
      fileIndex++;
      offset = 0;
      fileCrc.reset();
    }
  }

  /** Releases the checkpoint (handing its log hold over on success) and tells the owner. */
  private void finish(boolean ok, String why) {
    if (ended) {
      return;
    }
    ended = true;
    if (checkpoint != null) {
      if (ok) {
        owner.handOver(this, checkpoint.takeWalHold());
      }
      checkpoint.close();
    }
    owner.ended(this, ok, why);
  }

  /** The refusal of a transfer whose replica read nothing for {@code millis}. */
  static StatusRuntimeException stalled(long millis) {
    return StatusMapping.toStatus(
        new ReplicationException(
            ReplicationException.Reason.STALLED,
            "the replica read no snapshot data for " + millis + " ms"));
  }
}
