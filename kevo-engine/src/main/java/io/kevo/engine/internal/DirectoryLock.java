package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a database directory: an OS file lock on {@code <dir>/LOCK}, which the OS
 * releases if the process dies, so a crash never leaves a stale lock. The file holds the owner's
 * process id for the error message of the next opener.
 */
final class DirectoryLock implements AutoCloseable {
  static final String FILE = "LOCK";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DirectoryLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw new KevoException(
            ErrorCode.LOCKED,
            "database directory "
                + dir
                + " is already open"
                + holder(file)
                + " (lock file "
                + file
                + "); close that handle or process first");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      return new DirectoryLock(ch, lock);
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      throw new KevoException(ErrorCode.IO_ERROR, "cannot lock " + file + ": " + e, e);
    }
  }

  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (pid.isEmpty()) {
        return "";
      }
      return pid.equals(Long.toString(ProcessHandle.current().pid()))
          ? " by another handle in this process"
          : " by process " + pid;
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // closing the channel releases the lock anyway
    }
  }
}
