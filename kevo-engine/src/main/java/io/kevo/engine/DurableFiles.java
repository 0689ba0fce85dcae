package io.kevo.engine;

import io.kevo.engine.internal.io.Files2;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replacing a small file so that a crash leaves its old contents or the new, never a mix: the new
 * bytes go to {@code <name>.tmp}, which is fsynced and renamed over the file, then the directory is
 * fsynced. The engine's own small files (the kept key range, a staged checkpoint's descriptor) and
 * the replication's state files (replica positions and identity, epoch history, backup manifests)
 * are all written this way. Stateless.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Replaces {@code file} (creating its directory if needed) with {@code bytes}. */
  public static void replace(Path file, byte[] bytes) throws IOException {
    replace(file, ByteBuffer.wrap(bytes));
  }

  /**
   * Replaces {@code file} (creating its directory if needed) with the remaining bytes of {@code
   * content}.
   */
  public static void replace(Path file, ByteBuffer content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (content.hasRemaining()) {
        c.write(content);
      }
      c.force(true);
    }
    Files.move(
        tmp,
        dir.resolve(file.getFileName()),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files2.fsyncDirectory(dir);
  }
}
