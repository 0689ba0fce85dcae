package io.kevo.engine.internal.sstable;

import io.kevo.engine.KevoException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * A decoded (decompressed, checksum-verified) block: entries followed by the restart array. The
 * restart array is validated once here, so iterators can trust it. Immutable and thread-safe; the
 * unit held in the {@link BlockCache}. It remembers its file and offset so that any malformed entry
 * found later is reported with both.
 *
 * <p>A data block whose array came from {@link BlockArrays} is counted: whoever reads it holds a
 * reference ({@link #retain}, {@link #release}), the cache holds one while the block is cached, and
 * the last release gives the array back for reuse. Its bytes must not be read after one's own
 * release, for they may by then belong to another block. A holder that never releases only keeps
 * the array from being reused. Blocks without a pool (index blocks, tests) are not counted.
 */
final class Block {
  /** Rough per-block heap overhead beyond the data array, for cache weights. */
  private static final int OVERHEAD = 64;

  private static final VarHandle REFS;

  static {
    try {
      REFS = MethodHandles.lookup().findVarHandle(Block.class, "refs", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final byte[] data;
  final int restartsOffset;
  final int numRestarts;
  private final Path file;
  private final long offset;
  private final BlockArrays pool;

  @SuppressWarnings("unused") // through REFS
  private volatile int refs = 1;

  private Block(
      byte[] data, int restartsOffset, int numRestarts, Path file, long offset, BlockArrays pool) {
    this.data = data;
    this.restartsOffset = restartsOffset;
    this.numRestarts = numRestarts;
    this.file = file;
    this.offset = offset;
    this.pool = pool;
  }

  /**
   * Wraps {@code data[0, length)}, the decoded bytes of the block stored at {@code offset} of
   * {@code file} (bytes past {@code length} are ignored: uncompressed blocks keep their trailer
   * there to save a copy).
   *
   * @throws KevoException CORRUPTION if the restart array is malformed
   */
  static Block parse(byte[] data, int length, Path file, long offset) {
    return parse(data, length, file, offset, null);
  }

  /**
   * As {@link #parse(byte[], int, Path, long)}, for an array taken from {@code pool} (or {@code
   * null}): the block starts with one reference, the caller's, and its last release returns the
   * array there.
   */
  static Block parse(byte[] data, int length, Path file, long offset, BlockArrays pool) {
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
    return new Block(data, ro, num, file, offset, pool);
  }

  /**
   * Takes one more reference, unless the block has already been let go of (its array may then be
   * someone else's): {@code false} means read it afresh.
   */
  boolean retain() {
    if (pool == null) {
      return true;
    }
    for (int r = (int) REFS.getVolatile(this); r > 0; r = (int) REFS.getVolatile(this)) {
      if (REFS.compareAndSet(this, r, r + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Drops one reference; the last gives the array back to the pool. */
  void release() {
    if (pool == null) {
      return;
    }
    int left = (int) REFS.getAndAdd(this, -1) - 1;
    if (left == 0) {
      pool.recycle(data);
    } else if (left < 0) {
      throw new IllegalStateException("block at " + offset + " of " + file + " released twice");
    }
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
