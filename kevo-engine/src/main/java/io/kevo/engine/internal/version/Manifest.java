package io.kevo.engine.internal.version;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.io.FileIo;
import io.kevo.engine.internal.io.Files2;
import io.kevo.engine.internal.wal.RecordFormat;
import io.kevo.engine.internal.wal.SegmentReadException;
import io.kevo.engine.internal.wal.SegmentReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable history of the file set: {@code MANIFEST-<n>} files of {@link VersionEdit} records,
 * framed and checksummed exactly like WAL records (PROTOCOL.md §3), and a {@code CURRENT} file
 * naming the live manifest, replaced by write-temp-fsync-rename so that it always names a complete
 * manifest.
 *
 * <p>A change is durable once its record is fsynced; until then the previous file set is the state.
 * On recovery a torn final record (a crash mid-append) is that unfinished change and is ignored;
 * any other damage is corruption and stops the open. Each open writes a fresh manifest holding one
 * snapshot record, so manifests stay small.
 *
 * <p>A failed append leaves the file with a record that may be complete, torn or absent: the owner
 * must not append to it again (a later record after a torn one would turn a torn tail into
 * corruption) but start a new manifest with {@link #create}.
 *
 * <p>Thread-safety: appends are serialized by the owner ({@link VersionSet}).
 */
final class Manifest implements AutoCloseable {
  static final String CURRENT = "CURRENT";
  static final String PREFIX = "MANIFEST-";

  private final Path path;
  private final FileChannel channel;
  private long size;

  private Manifest(Path path, FileChannel channel, long size) {
    this.path = path;
    this.channel = channel;
    this.size = size;
  }

  static String fileName(long number) {
    return PREFIX + String.format("%06d", number);
  }

  /** The edits of the manifest CURRENT names, or null if there is no CURRENT (a new database). */
  static List<VersionEdit> recover(Path dir) {
    Path current = dir.resolve(CURRENT);
    if (!Files.exists(current)) {
      return null;
    }
    Path file;
    try {
      String name = Files.readString(current, StandardCharsets.UTF_8).trim();
      if (!name.startsWith(PREFIX) || name.contains("/")) {
        throw new KevoException(
            ErrorCode.CORRUPTION, current + " does not name a manifest: '" + name + "'");
      }
      file = dir.resolve(name);
      if (!Files.exists(file)) {
        throw new KevoException(
            ErrorCode.CORRUPTION, current + " names " + name + ", which does not exist");
      }
      List<VersionEdit> edits = new ArrayList<>();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        SegmentReader r = new SegmentReader(ch, 0, ch.size());
        while (true) {
          long at = r.position();
          byte[] data;
          try {
            data = r.next();
          } catch (SegmentReadException e) {
            if (isTail(ch, e)) {
              break;
            }
            throw new KevoException(
                ErrorCode.CORRUPTION,
                "manifest "
                    + file
                    + " is corrupt at offset "
                    + e.physicalStart()
                    + ": "
                    + e.getMessage());
          }
          if (data == null) {
            break;
          }
          try {
            edits.add(VersionEdit.decode(data));
          } catch (IllegalArgumentException e) {
            throw new KevoException(
                ErrorCode.CORRUPTION,
                "manifest "
                    + file
                    + " has a malformed record at offset "
                    + at
                    + ": "
                    + e.getMessage());
          }
        }
      }
      if (edits.isEmpty()) {
        throw new KevoException(ErrorCode.CORRUPTION, "manifest " + file + " holds no record");
      }
      return edits;
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "reading the manifest in " + dir + ": " + e, e);
    }
  }

  /** A torn final append: nothing but the damaged record (or zeros) up to end of file. */
  private static boolean isTail(FileChannel ch, SegmentReadException e) throws IOException {
    if (e.problem() == SegmentReadException.Problem.INCOMPLETE) {
      return true;
    }
    long end = e.physicalEnd() > 0 ? e.physicalEnd() : e.physicalStart();
    ByteBuffer rest = ByteBuffer.allocate((int) Math.max(0, Math.min(ch.size() - end, 1 << 20)));
    ch.read(rest, end);
    for (int i = 0; i < rest.position(); i++) {
      if (rest.get(i) != 0) {
        return false;
      }
    }
    return ch.size() - end <= (1 << 20);
  }

  /**
   * Starts manifest {@code number} holding {@code snapshot}, makes it durable, then points CURRENT
   * at it. Until CURRENT is renamed the previous manifest remains the state.
   */
  static Manifest create(Path dir, long number, VersionEdit snapshot, FileIo files)
      throws IOException {
    Path file = dir.resolve(fileName(number));
    FileChannel ch =
        files.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    Manifest m = new Manifest(file, ch, 0);
    try {
      m.append(snapshot);
    } catch (IOException | RuntimeException e) {
      // CURRENT does not name it yet: remove it so a full disk gets its space back.
      try {
        ch.close();
        Files.deleteIfExists(file);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    try {
      writeCurrent(dir, fileName(number), files);
    } catch (IOException | RuntimeException e) {
      // CURRENT may name it already (the rename done, the directory fsync failed): keep the file.
      // If CURRENT still names the old manifest, it is a stray removed at the next open.
      try {
        ch.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return m;
  }

  /**
   * Points CURRENT at manifest {@code name} (write-temp-fsync-rename, then the directory fsync):
   * when this returns, that manifest is the state.
   */
  static void writeCurrent(Path dir, String name) throws IOException {
    writeCurrent(dir, name, FileIo.DEFAULT);
  }

  private static void writeCurrent(Path dir, String name, FileIo files) throws IOException {
    Path tmp = dir.resolve(CURRENT + ".tmp");
    try (FileChannel c =
        files.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.UTF_8)));
      c.force(true);
    }
    Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
    Files2.fsyncDirectory(dir);
  }

  /** Appends one edit and fsyncs it: when this returns, the change survives a crash. */
  void append(VersionEdit edit) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(RecordFormat.frame(edit.encode()));
    while (buf.hasRemaining()) {
      size += channel.write(buf, size);
    }
    channel.force(false);
  }

  long size() {
    return size;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
