package io.kevo.engine.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The engine's file-system seam: the files the engine writes while it runs (WAL segments, SSTables,
 * manifests, the free-space probe) are opened through it. Tests pass channels that fail the way a
 * full or failing disk does (a short write and then {@code ENOSPC}, a failed fsync) without mocking
 * the JDK. Implementations must be thread-safe; the channels they return are used as {@link
 * FileChannel#open} channels are.
 */
@FunctionalInterface
public interface FileIo {
  /** The real file system. */
  FileIo DEFAULT = FileChannel::open;

  /** Opens {@code path} as {@link FileChannel#open(Path, OpenOption...)} does. */
  FileChannel open(Path path, OpenOption... options) throws IOException;
}
