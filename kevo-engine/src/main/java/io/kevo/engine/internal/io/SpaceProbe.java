package io.kevo.engine.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks that a directory's file system has room again after it ran out: writes a file of zeros,
 * fsyncs it and deletes it. Freeing space and "space is free" are different facts (truncating a
 * damaged WAL tail frees a little), and resuming writes on the first while the disk is still full
 * would only fail the next write again, with an outcome the caller cannot know. Not thread-safe for
 * one directory: one recovery task probes at a time.
 */
public final class SpaceProbe {
  /** The probe's file name; a leftover (a crash during a probe) is reused by the next probe. */
  public static final String FILE_NAME = "space-probe.tmp";

  private static final int CHUNK = 64 * 1024;

  private SpaceProbe() {}

  /**
   * Writes {@code bytes} bytes in {@code dir} through {@code io}, fsyncs and deletes them.
   *
   * @throws IOException if they do not fit (the file is deleted either way, as far as possible)
   */
  public static void check(FileIo io, Path dir, int bytes) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    try (FileChannel ch =
        io.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate(Math.min(CHUNK, Math.max(1, bytes)));
      long written = 0;
      while (written < bytes) {
        zeros.clear();
        zeros.limit((int) Math.min(zeros.capacity(), bytes - written));
        while (zeros.hasRemaining()) {
          written += ch.write(zeros, written);
        }
      }
      ch.force(false);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
