package io.kevo.backup;

import io.grpc.Channel;
import io.grpc.Status;
import io.kevo.engine.CheckpointFile;
import io.kevo.proto.replication.SnapshotFile;
import io.kevo.proto.replication.SnapshotHeader;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.replication.EpochHistory;
import io.kevo.replication.ReplicaOptions;
import io.kevo.replication.snapshot.SnapshotStreamException;
import io.kevo.replication.snapshot.SnapshotStreamReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one online backup of a primary into a {@link BackupRepository}: receives a consistent
 * snapshot over {@code FetchSnapshot} (read and checked by a {@link SnapshotStreamReader}) and
 * stores only what the directory lacks. Every byte still crosses the wire (the protocol has no way
 * to skip a file), but an SSTable whose name and size match a shared one is not written: its
 * CRC-32C is computed as it arrives and, if it matches, the shared copy is referenced.
 *
 * <p>Crash safety: new files go to {@code tmp/<id>/} and are fsynced and re-read against their
 * CRC-32C; then the {@link BackupManifest} is written (temp file, fsync, rename); then new tables
 * are moved into {@code shared/}; last, {@code tmp/<id>} is renamed to {@code backups/<id>}, the
 * commit point. A crash before it leaves nothing in {@code backups/} (the next backup deletes
 * {@code tmp/}); a crash after the table moves leaves complete, checksummed tables in {@code
 * shared/} that a later backup shares.
 *
 * <p>The request carries no replica id: the primary treats such a transfer as one-shot. It pins the
 * snapshot's files and log only while it sends, and releases both at the end (see {@code
 * Retention.bootstrapped} in kevo-replication), so a backup never leaves the primary holding WAL.
 *
 * <p>Not thread-safe: one call at a time per instance; backups into one directory are serialised by
 * its lock (a second one is refused).
 */
public final class BackupWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BackupWriter.class);
  private static final DateTimeFormatter IDS =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final BackupRepository repo;
  private final BackupOptions options;

  public BackupWriter(BackupRepository repo, BackupOptions options) {
    this.repo = repo;
    this.options = options;
  }

  /**
   * Backs up the primary behind {@code channel}.
   *
   * @param source the primary's address, recorded in the manifest
   * @param progress called after each chunk, on the calling thread
   * @return the committed backup's manifest
   * @throws BackupException if anything failed (nothing complete is left behind)
   */
  public BackupManifest take(Channel channel, String source, Consumer<BackupProgress> progress) {
    try (AutoCloseable lock = repo.lock()) {
      repo.clearTemporary();
      String id = newId();
      Path tmp = repo.temporary(id);
      Files.createDirectories(tmp);
      Receiving r = new Receiving(id, tmp, progress);
      try {
        receive(channel, r);
        return r.commit(source);
      } finally {
        r.closeChannel();
        try {
          BackupRepository.deleteRecursively(tmp); // gone after a commit; after a failure, cleanup
        } catch (IOException e) {
          // Not worth hiding the outcome for: the next backup clears tmp/ anyway.
          LOG.warn("backup {}: could not delete {}: {}", id, tmp, e.toString());
        }
      }
    } catch (BackupException e) {
      throw e;
    } catch (Exception e) {
      throw new BackupException("backup into " + repo.root() + " failed: " + e, e);
    }
  }

  private void receive(Channel channel, Receiving r) {
    SnapshotRequest request =
        SnapshotRequest.newBuilder()
            .setReplicaId("") // one-shot: nothing is held for us after the transfer
            .setProtocolVersion(ReplicaOptions.PROTOCOL_VERSION)
            .setMaxChunkBytes(options.maxChunkBytes())
            .build();
    boolean complete;
    try {
      complete = SnapshotStreamReader.read(channel, request, options.idleTimeout(), () -> false, r);
    } catch (SnapshotStreamException e) {
      throw failed(e);
    }
    if (!complete) {
      throw new BackupException("interrupted while receiving the snapshot");
    }
  }

  private static BackupException failed(SnapshotStreamException e) {
    return switch (e.kind()) {
      case REFUSED -> {
        Status st = e.status();
        boolean notPrimary =
            st.getCode() == Status.Code.FAILED_PRECONDITION
                || st.getCode() == Status.Code.UNIMPLEMENTED;
        yield new BackupException(
            (notPrimary
                    ? "the node refused the snapshot transfer: "
                    : "the snapshot transfer failed: ")
                + st.getCode()
                + (st.getDescription() != null ? " " + st.getDescription() : "")
                + (notPrimary
                    ? " (back up the primary or a standalone node; a replica serves no snapshots)"
                    : ""),
            e.getCause());
      }
      case DAMAGED ->
          new BackupException(e.getMessage() + " on the way; nothing of this backup was kept");
      case ENDED_EARLY, MALFORMED, IDLE_TIMEOUT -> new BackupException(e.getMessage());
    };
  }

  private String newId() {
    long millis = options.clock().millis();
    String id = IDS.format(java.time.Instant.ofEpochMilli(millis));
    for (int n = 2; Files.exists(repo.committed(id)); n++) {
      id = IDS.format(java.time.Instant.ofEpochMilli(millis)) + "-" + n;
    }
    return id;
  }

  /** The state of one transfer: files as they arrive. */
  private final class Receiving implements SnapshotStreamReader.Sink {
    private final String id;
    private final Path tmp;
    private final Consumer<BackupProgress> progress;
    private final long startNanos = System.nanoTime();
    private SnapshotHeader header;
    private java.util.Set<String> sharedKeys;
    private final List<BackupManifest.StoredFile> stored = new ArrayList<>();
    private final List<Path[]> sharedMoves = new ArrayList<>(); // {tmp file, shared file}
    private final List<BackupManifest.StoredFile> written = new ArrayList<>();
    private FileChannel out; // the file being written, null while one is received unwritten
    private boolean skipping;
    private long received;
    private long storedBytes;

    Receiving(String id, Path tmp, Consumer<BackupProgress> progress) {
      this.id = id;
      this.tmp = tmp;
      this.progress = progress;
    }

    @Override
    public void header(SnapshotHeader h) {
      int manifests = 0;
      for (SnapshotFile f : h.getFilesList()) {
        if (!CheckpointFile.isValidName(f.getName())) {
          throw new BackupException("the snapshot lists an unexpected file: " + f.getName());
        }
        manifests += CheckpointFile.isManifest(f.getName()) ? 1 : 0;
      }
      if (manifests != 1) { // the reader checked the sizes
        throw new BackupException("the snapshot header is inconsistent (manifests)");
      }
      header = h;
      sharedKeys = repo.sharedKeys();
      LOG.info(
          "backup {}: snapshot {} of the primary at sequence {}: {} files, {} bytes",
          id,
          h.getSnapshotId(),
          h.getSequence(),
          h.getFilesCount(),
          h.getTotalBytes());
      if (h.getFilesCount() > 0) {
        start(0);
      }
      report(0);
    }

    private void start(int index) {
      SnapshotFile f = header.getFiles(index);
      skipping =
          !CheckpointFile.isManifest(f.getName())
              && sharedKeys.contains(BackupRepository.sharedKey(f.getName(), f.getSize()));
      if (!skipping) {
        try {
          out =
              FileChannel.open(
                  tmp.resolve(f.getName()),
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new BackupException("cannot create " + tmp.resolve(f.getName()) + ": " + e, e);
        }
      }
    }

    @Override
    public void data(int fileIndex, long offset, List<ByteBuffer> bytes) {
      for (ByteBuffer b : bytes) {
        int n = b.remaining();
        received += n;
        if (!skipping) {
          try {
            while (b.hasRemaining()) {
              out.write(b);
            }
          } catch (IOException e) {
            throw new BackupException(
                "writing " + header.getFiles(fileIndex).getName() + ": " + e, e);
          }
          storedBytes += n;
        }
      }
      throttle();
      report(fileIndex);
    }

    @Override
    public void fileEnd(int fileIndex, int crc32c) {
      SnapshotFile f = header.getFiles(fileIndex);
      String name = f.getName();
      if (skipping) {
        String path = BackupRepository.sharedPath(name, f.getSize(), crc32c);
        if (!Files.exists(repo.resolve(path))) {
          throw new BackupException(
              name
                  + " has the name and size of a shared table in "
                  + repo.root()
                  + " but another CRC-32C; SSTable names are never reused by one database, so"
                  + " this directory holds backups of another database: back it up elsewhere");
        }
        stored.add(new BackupManifest.StoredFile(name, f.getSize(), crc32c, path));
      } else {
        try {
          out.force(true);
        } catch (IOException e) {
          throw new BackupException("syncing " + name + ": " + e, e);
        }
        closeChannel();
        String path =
            CheckpointFile.isManifest(name)
                ? BackupRepository.BACKUPS + "/" + id + "/" + name
                : BackupRepository.sharedPath(name, f.getSize(), crc32c);
        BackupManifest.StoredFile sf =
            new BackupManifest.StoredFile(name, f.getSize(), crc32c, path);
        stored.add(sf);
        written.add(sf);
        if (sf.shared()) {
          sharedMoves.add(new Path[] {tmp.resolve(name), repo.resolve(path)});
        }
      }
      if (fileIndex + 1 < header.getFilesCount()) {
        start(fileIndex + 1);
      }
      report(fileIndex + 1);
    }

    /** Checks what was written, writes the manifest, moves new tables, renames: the commit. */
    BackupManifest commit(String source) throws IOException {
      for (BackupManifest.StoredFile f : written) {
        FileCheck.check(tmp.resolve(f.name()), f); // what the disk holds, not what we sent it
      }
      BackupManifest m =
          new BackupManifest(
              id,
              options.clock().millis(),
              source,
              header.getSnapshotId(),
              header.getSequence(),
              header.getPrimaryLastSequence(),
              EpochHistory.fromProto(header.getEpochsList()),
              stored,
              storedBytes);
      m.write(tmp.resolve(BackupManifest.FILE));
      for (Path[] move : sharedMoves) {
        BackupRepository.moveDurably(move[0], move[1]);
      }
      BackupRepository.moveDurably(tmp, repo.committed(id));
      LOG.info(
          "backup {} complete: sequence {}, {} files, {} bytes received, {} stored",
          id,
          m.sequence(),
          stored.size(),
          received,
          storedBytes);
      return m;
    }

    private void report(int filesDone) {
      progress.accept(
          new BackupProgress(
              received, header.getTotalBytes(), filesDone, header.getFilesCount(), storedBytes));
    }

    /** Sleeps as long as the transfer is ahead of the rate cap. */
    private void throttle() {
      long rate = options.maxBytesPerSecond();
      if (rate <= 0) {
        return;
      }
      long dueNanos = (long) (received * 1e9 / rate);
      long ahead = dueNanos - (System.nanoTime() - startNanos);
      if (ahead > 0) {
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.sleep(ahead);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BackupException("interrupted while taking a backup", e);
        }
      }
    }

    void closeChannel() {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          // Only after a failure: the directory is deleted anyway.
        }
        out = null;
      }
    }
  }
}
