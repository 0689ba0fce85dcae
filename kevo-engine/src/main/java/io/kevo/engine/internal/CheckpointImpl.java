package io.kevo.engine.internal;

import io.kevo.engine.Checkpoint;
import io.kevo.engine.CheckpointFile;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.KeyRange;
import io.kevo.engine.RetentionHold;
import io.kevo.engine.internal.io.Files2;
import io.kevo.engine.internal.version.TableFile;
import io.kevo.engine.internal.version.Version;
import io.kevo.engine.internal.version.VersionSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Checkpoint} over a pinned {@link Version}: its tables (by path; the version's reference
 * keeps them on disk) and an in-memory manifest listing them with the persisted sequence. Reads are
 * serialized (one open channel, for the file last read).
 */
final class CheckpointImpl implements Checkpoint {
  private final Version version;
  private final long sequence;
  private final KeyRange range;
  private final List<CheckpointFile> files;
  private final List<Path> paths; // null entry: the manifest (in memory)
  private final byte[] manifest;
  private final long totalBytes;
  private RetentionHold hold; // guarded by this
  private boolean closed; // guarded by this
  private FileChannel channel; // guarded by this
  private int channelIndex = -1;

  CheckpointImpl(VersionSet.Pinned pinned, RetentionHold hold) {
    this.version = pinned.version();
    this.sequence = pinned.persistedSequence();
    this.range = pinned.range();
    this.manifest = pinned.manifest();
    this.hold = hold;
    List<CheckpointFile> f = new ArrayList<>();
    List<Path> p = new ArrayList<>();
    long total = 0;
    for (int level = 0; level < Version.MAX_LEVELS; level++) {
      for (TableFile t : version.files(level)) {
        if (!VersionSet.Pinned.lists(pinned.range(), t)) {
          continue;
        }
        f.add(new CheckpointFile(t.path().getFileName().toString(), t.meta().size()));
        p.add(t.path());
        total += t.meta().size();
      }
    }
    f.add(new CheckpointFile(pinned.manifestName(), manifest.length));
    p.add(null);
    total += manifest.length;
    this.files = List.copyOf(f);
    this.paths = p;
    this.totalBytes = total;
  }

  @Override
  public long sequence() {
    return sequence;
  }

  @Override
  public KeyRange range() {
    return range;
  }

  @Override
  public List<CheckpointFile> files() {
    return files;
  }

  @Override
  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public synchronized int read(int index, long offset, ByteBuffer dst) {
    if (closed) {
      throw new KevoException(ErrorCode.CLOSED, "the checkpoint at " + sequence + " is closed");
    }
    CheckpointFile f = files.get(index);
    if (offset < 0 || offset > f.size()) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "offset " + offset + " outside " + f.name());
    }
    int want = (int) Math.min(dst.remaining(), f.size() - offset);
    if (want == 0) {
      return 0;
    }
    Path path = paths.get(index);
    if (path == null) {
      dst.put(manifest, (int) offset, want);
      return want;
    }
    try {
      if (channelIndex != index) {
        closeChannel();
        channel = FileChannel.open(path, StandardOpenOption.READ);
        channelIndex = index;
      }
      int limit = dst.limit();
      dst.limit(dst.position() + want);
      int n = 0;
      try {
        while (dst.hasRemaining()) {
          int r = channel.read(dst, offset + n);
          if (r < 0) {
            throw new KevoException(
                ErrorCode.CORRUPTION,
                path + " is shorter than its recorded " + f.size() + " bytes");
          }
          n += r;
        }
      } finally {
        dst.limit(limit);
      }
      return n;
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "reading " + path + ": " + e, e);
    }
  }

  @Override
  public synchronized RetentionHold takeWalHold() {
    RetentionHold h = hold;
    hold = null;
    return h;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeChannel();
    if (hold != null) {
      hold.close();
      hold = null;
    }
    version.unref();
  }

  private void closeChannel() {
    if (channel != null) {
      Files2.closeQuietly(channel); // read-only
      channel = null;
      channelIndex = -1;
    }
  }
}
