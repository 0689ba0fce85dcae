package io.kevo.engine.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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
