package io.kevo.engine.internal.wal;

import java.nio.file.Path;

/**
 * One WAL segment file: {@code <number, 20 digits>.wal}, so names sort in log order. The writer
 * updates {@link #size}, {@link #firstSequence} and {@link #lastSequence} after each append, in
 * that order of visibility: a reader that sees a size sees complete records up to it.
 */
public final class Segment {
  static final String SUFFIX = ".wal";

  private final long number;
  private final Path path;
  private volatile long size;
  private volatile long firstSequence;
  private volatile long lastSequence;
  private volatile boolean sealed;

  Segment(long number, Path path, long size, long firstSequence, long lastSequence) {
    this.number = number;
    this.path = path;
    this.size = size;
    this.firstSequence = firstSequence;
    this.lastSequence = lastSequence;
  }

  static String fileName(long number) {
    return String.format("%020d%s", number, SUFFIX);
  }

  /** The segment number of a file name, or -1 if the name is not a segment's. */
  static long parseNumber(String fileName) {
    if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
      return -1;
    }
    try {
      return Long.parseLong(fileName.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public long number() {
    return number;
  }

  public Path path() {
    return path;
  }

  /** Bytes of complete records. */
  public long size() {
    return size;
  }

  /** First sequence stored, or 0 if the segment holds no record yet. */
  public long firstSequence() {
    return firstSequence;
  }

  /** Last sequence stored, or 0 if the segment holds no record yet. */
  public long lastSequence() {
    return lastSequence;
  }

  /** Whether the writer has moved on: the size will not change again. */
  public boolean sealed() {
    return sealed;
  }

  void appended(long newSize, long first, long last) {
    if (firstSequence == 0) {
      firstSequence = first;
    }
    lastSequence = last;
    size = newSize;
  }

  void seal() {
    sealed = true;
  }

  @Override
  public String toString() {
    return path.getFileName() + "[" + firstSequence + ".." + lastSequence + ", " + size + " B]";
  }
}
