package io.kevo.engine.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** File-system helpers the JDK lacks. */
public final class Files2 {
  private Files2() {}

  /**
   * Makes a directory's entries (files created, renamed or deleted in it) durable. On Linux a
   * directory can be opened read-only and fsynced.
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Replaces {@code target} with {@code bytes} so that a crash leaves the old contents or the new:
   * writes {@code target}'s name + {@code .tmp}, fsyncs it, renames it over {@code target}, then
   * fsyncs the directory.
   */
  public static void replaceDurably(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        c.write(b);
      }
      c.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(target.getParent());
  }

  /**
   * Closes {@code c}, ignoring a failure: for a handle whose failed close loses nothing the caller
   * needs (a read-only channel, or a file whose unsynced data will be written again).
   */
  public static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // the caller has said a failed close costs nothing
    }
  }
}
