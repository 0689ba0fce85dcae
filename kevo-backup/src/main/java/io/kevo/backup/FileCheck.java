package io.kevo.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads a stored file whole and compares its size and CRC-32C with what a manifest says: the one
 * check behind the writer's re-read, {@code --verify} and restore. Stateless.
 */
final class FileCheck {
  private static final int BUFFER = 1 << 16;

  private FileCheck() {}

  /**
   * Why {@code file} does not hold {@code expected}'s bytes, or null if it does.
   *
   * @param copy if not null, receives every byte read (in order), for a copy checked in one pass
   */
  static String problem(Path file, BackupManifest.StoredFile expected, Consumer<ByteBuffer> copy) {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      if (size != expected.size()) {
        return expected.path() + " is " + size + " bytes, the manifest says " + expected.size();
      }
      CRC32C crc = new CRC32C();
      ByteBuffer buf = ByteBuffer.allocate(BUFFER);
      while (in.read(buf) > 0) {
        buf.flip();
        crc.update(buf.duplicate());
        if (copy != null) {
          copy.accept(buf);
        }
        buf.clear();
      }
      int actual = (int) crc.getValue();
      if (actual != expected.crc32c()) {
        return expected.path()
            + " fails its checksum (CRC-32C "
            + BackupManifest.hex(actual)
            + ", the manifest says "
            + BackupManifest.hex(expected.crc32c())
            + ")";
      }
      return null;
    } catch (NoSuchFileException e) {
      return expected.path() + " is missing";
    } catch (IOException e) {
      return expected.path() + " cannot be read: " + e;
    }
  }

  /**
   * Throws if {@code file} does not hold {@code expected}'s bytes.
   *
   * @throws BackupException naming the file and the difference
   */
  static void check(Path file, BackupManifest.StoredFile expected) {
    String p = problem(file, expected, null);
    if (p != null) {
      throw new BackupException(p);
    }
  }
}
