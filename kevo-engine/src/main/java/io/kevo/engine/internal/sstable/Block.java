package io.kevo.engine.internal.sstable;

import io.kevo.engine.KevoException;
import java.nio.file.Path;

/**
 * A decoded (decompressed, checksum-verified) block: entries followed by the restart array. The
 * restart array is validated once here, so iterators can trust it. Immutable and thread-safe; the
 * unit held in the {@link BlockCache}. It remembers its file and offset so that any malformed entry
 * found later is reported with both.
 */
final class Block {
  /** Rough per-block heap overhead beyond the data array, for cache weights. */
  private static final int OVERHEAD = 64;

  final byte[] data;
  final int restartsOffset;
  final int numRestarts;
  private final Path file;
  private final long offset;

  private Block(byte[] data, int restartsOffset, int numRestarts, Path file, long offset) {
    this.data = data;
    this.restartsOffset = restartsOffset;
    this.numRestarts = numRestarts;
    this.file = file;
    this.offset = offset;
  }

  /**
   * Wraps {@code data[0, length)}, the decoded bytes of the block stored at {@code offset} of
   * {@code file} (bytes past {@code length} are ignored: uncompressed blocks keep their trailer
   * there to save a copy).
   *
   * @throws KevoException CORRUPTION if the restart array is malformed
   */
  static Block parse(byte[] data, int length, Path file, long offset) {
    if (length < 8 || length > data.length) {
      throw TableFormat.corruption(file, offset, "block of " + length + " bytes is too short");
    }
    int num = Coding.getFixed32(data, length - 4);
    long restartsOffset = (long) length - 4 - 4L * num;
    if (num < 1 || restartsOffset < 0) {
      throw TableFormat.corruption(file, offset, "bad restart count " + num);
    }
    int ro = (int) restartsOffset;
    int prev = -1;
    for (int i = 0; i < num; i++) {
      int r = Coding.getFixed32(data, ro + 4 * i);
      if (r <= prev || r >= ro || (i == 0 && r != 0)) {
        throw TableFormat.corruption(file, offset, "bad restart point " + i + ": " + r);
      }
      prev = r;
    }
    return new Block(data, ro, num, file, offset);
  }

  int restartPoint(int i) {
    return Coding.getFixed32(data, restartsOffset + 4 * i);
  }

  int weight() {
    return data.length + OVERHEAD;
  }

  long offset() {
    return offset;
  }

  KevoException corruption(String what) {
    return TableFormat.corruption(file, offset, what);
  }
}
