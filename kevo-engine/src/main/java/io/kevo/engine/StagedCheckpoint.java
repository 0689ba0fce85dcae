package io.kevo.engine;

import io.kevo.engine.internal.CheckpointInstaller;
import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Checkpoint} being received into a database directory, to replace its contents: the
 * receiving half of a replica's bootstrap. Files are written into {@code
 * <dir>/checkpoint-staging/}, each sequentially; {@link #seal()} then commits the checkpoint.
 *
 * <p>Atomicity: sealing writes the staging directory's {@code SEALED} descriptor (sequence, file
 * names and sizes, CRC-32) by write-temp-fsync-rename, after every file was fsynced. That rename is
 * the commit point. Every {@link KevoDB#open open} of the directory first looks for a staging
 * directory: an unsealed one is an interrupted transfer and is deleted (the bootstrap starts over);
 * a sealed one is installed before anything is read, idempotently (CURRENT removed, the old tables,
 * manifests and WAL segments deleted, the staged files moved in, CURRENT written last), so a crash
 * at any point leaves either the old database or the complete checkpoint, never a mix. The
 * installed database's next sequence is {@link #sequence()} + 1. {@link KevoDB#replaceWith} does
 * this on an open handle.
 *
 * <p>Not thread-safe: one receiving thread. {@link #close()} discards an unsealed staging
 * directory; idempotent, throws nothing.
 */
public final class StagedCheckpoint implements AutoCloseable {
  /** The staging directory's name inside the database directory. */
  public static final String STAGING_DIR = CheckpointInstaller.STAGING_DIR;

  private final Path dbDir;
  private final Path staging;
  private final long sequence;
  private final KeyRange retained;
  private final List<CheckpointFile> files;
  private final long[] written;
  private final boolean[] finished;
  private FileChannel channel;
  private int channelIndex = -1;
  private long bytesWritten;
  private boolean sealed;
  private boolean discarded;

  private StagedCheckpoint(
      Path dbDir, long sequence, KeyRange retained, List<CheckpointFile> files) {
    this.dbDir = dbDir;
    this.staging = dbDir.resolve(STAGING_DIR);
    this.sequence = sequence;
    this.retained = retained;
    this.files = List.copyOf(files);
    this.written = new long[files.size()];
    this.finished = new boolean[files.size()];
  }

  /**
   * Starts receiving a checkpoint at {@code sequence} with {@code files} (exactly one manifest)
   * into {@code dbDir}, replacing whatever an earlier, unfinished reception left there.
   *
   * @throws KevoException {@link ErrorCode#INVALID_ARGUMENT} for a file list without exactly one
   *     manifest or with a name twice, {@link ErrorCode#IO_ERROR} if the directory cannot be made
   */
  public static StagedCheckpoint create(Path dbDir, long sequence, List<CheckpointFile> files) {
    return create(dbDir, sequence, files, KeyRange.ALL);
  }

  /**
   * Like {@link #create(Path, long, List)}, for a checkpoint of the keys of {@code retained} only
   * ({@link KevoDB#checkpoint(KeyRange)}): once installed, the database keeps only those keys, as
   * after {@link KevoDB#retainOnly}.
   */
  public static StagedCheckpoint create(
      Path dbDir, long sequence, List<CheckpointFile> files, KeyRange retained) {
    Objects.requireNonNull(dbDir, "dbDir");
    Objects.requireNonNull(retained, "retained");
    Objects.requireNonNull(files, "files");
    if (sequence < 0) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "negative checkpoint sequence");
    }
    Set<String> names = new HashSet<>();
    int manifests = 0;
    for (CheckpointFile f : files) {
      if (!names.add(f.name())) {
        throw new KevoException(ErrorCode.INVALID_ARGUMENT, "file listed twice: " + f.name());
      }
      manifests += CheckpointFile.isManifest(f.name()) ? 1 : 0;
    }
    if (manifests != 1) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "a checkpoint has exactly one manifest, not " + manifests);
    }
    StagedCheckpoint s = new StagedCheckpoint(dbDir, sequence, retained, files);
    try {
      CheckpointInstaller.deleteRecursively(s.staging);
      Files.createDirectories(s.staging);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot create " + s.staging + ": " + e, e);
    }
    return s;
  }

  /** The checkpoint's sequence. */
  public long sequence() {
    return sequence;
  }

  /** The files expected. */
  public List<CheckpointFile> files() {
    return files;
  }

  /** Bytes written so far, over all files. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** The database directory this checkpoint will replace. */
  public Path databaseDirectory() {
    return dbDir;
  }

  /**
   * Appends {@code data} to file {@code index} at {@code offset}, which must be exactly what was
   * written of it so far (chunks arrive in order).
   *
   * @throws KevoException {@link ErrorCode#INVALID_ARGUMENT} for an offset out of order or past the
   *     file's size, {@link ErrorCode#IO_ERROR} on a write failure
   */
  public void write(int index, long offset, ByteBuffer data) {
    checkOpen();
    CheckpointFile f = files.get(Objects.checkIndex(index, files.size()));
    if (finished[index] || offset != written[index]) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          f.name() + ": chunk at offset " + offset + " but " + written[index] + " bytes written");
    }
    if (offset + data.remaining() > f.size()) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, f.name() + ": chunk goes past its size " + f.size());
    }
    try {
      FileChannel ch = channelFor(index);
      int n = data.remaining();
      long at = offset;
      while (data.hasRemaining()) {
        at += ch.write(data, at);
      }
      written[index] += n;
      bytesWritten += n;
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "writing " + f.name() + ": " + e, e);
    }
  }

  /** Bytes of file {@code index} written so far. */
  public long written(int index) {
    return written[index];
  }

  /**
   * Declares file {@code index} complete: checks its size and makes it durable.
   *
   * @throws KevoException {@link ErrorCode#INVALID_ARGUMENT} if it is incomplete
   */
  public void finishFile(int index) {
    checkOpen();
    CheckpointFile f = files.get(index);
    if (written[index] != f.size()) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          f.name() + " is " + f.size() + " bytes but " + written[index] + " were received");
    }
    try {
      FileChannel ch = channelFor(index);
      ch.force(true);
      closeChannel();
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "syncing " + f.name() + ": " + e, e);
    }
    finished[index] = true;
  }

  /**
   * Commits: every file must be finished. Afterwards the checkpoint replaces the database at its
   * next open (or at once, with {@link KevoDB#replaceWith}), even after a crash.
   */
  public void seal() {
    checkOpen();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      if (!finished[i]) {
        missing.add(files.get(i).name());
      }
    }
    if (!missing.isEmpty()) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "files not complete: " + missing);
    }
    try {
      CheckpointInstaller.writeDescriptor(staging, sequence, retained, files);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "sealing " + staging + ": " + e, e);
    }
    sealed = true;
  }

  /** Whether {@link #seal()} succeeded. */
  public boolean sealed() {
    return sealed;
  }

  /** Deletes the staging directory (unless sealed: a sealed checkpoint is committed). */
  public void discard() {
    closeChannel();
    if (sealed || discarded) {
      return;
    }
    discarded = true;
    try {
      CheckpointInstaller.deleteRecursively(staging);
    } catch (IOException e) {
      // The next open of the database deletes an unsealed staging directory anyway.
    }
  }

  @Override
  public void close() {
    discard();
  }

  private FileChannel channelFor(int index) throws IOException {
    if (channelIndex != index) {
      closeChannel();
      channel =
          FileChannel.open(
              staging.resolve(files.get(index).name()),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      channelIndex = index;
    }
    return channel;
  }

  private void closeChannel() {
    if (channel != null) {
      Files2.closeQuietly(channel); // unsynced data is re-sent: the file is not finished
      channel = null;
      channelIndex = -1;
    }
  }

  private void checkOpen() {
    if (sealed || discarded) {
      throw new KevoException(
          ErrorCode.CLOSED, "the staged checkpoint in " + staging + " is sealed or discarded");
    }
  }
}
