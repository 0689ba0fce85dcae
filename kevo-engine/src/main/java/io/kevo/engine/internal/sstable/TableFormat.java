package io.kevo.engine.internal.sstable;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.nio.file.Path;

/** Constants of the SSTable format (see {@code package-info.java}) and its error helpers. */
final class TableFormat {
  /** "KEVOSST1" read as a little-endian u64; the last 8 bytes of every table. */
  static final long MAGIC = 0x3154535353564F4BL;

  static final int FORMAT_VERSION = 1;

  /** Compression type byte + CRC-32C (u32), after every block. */
  static final int BLOCK_TRAILER_SIZE = 5;

  /** Six u64 handle fields, u32 version, u32 CRC-32C, u64 magic. */
  static final int FOOTER_SIZE = 64;

  /** Bytes after the user key in an internal key: u64 (sequence << 8 | kind). */
  static final int KEY_TRAILER_SIZE = 8;

  static final int KIND_PUT = 0;
  static final int KIND_TOMBSTONE = 1;

  /** Sequences must fit in 56 bits because the low byte of the key trailer holds the kind. */
  static final long MAX_STORED_SEQUENCE = (1L << 56) - 1;

  /** Upper bound on a block's decoded size; anything larger is treated as corruption. */
  static final int MAX_BLOCK_SIZE = 1 << 30;

  private TableFormat() {}

  static long packTrailer(long sequence, boolean tombstone) {
    return (sequence << 8) | (tombstone ? KIND_TOMBSTONE : KIND_PUT);
  }

  static KevoException corruption(Path file, long blockOffset, String what) {
    return new KevoException(
        ErrorCode.CORRUPTION,
        "corrupt sstable " + file + " (block at offset " + blockOffset + "): " + what);
  }

  static KevoException corruption(Path file, long blockOffset, String what, Throwable cause) {
    return new KevoException(
        ErrorCode.CORRUPTION,
        "corrupt sstable " + file + " (block at offset " + blockOffset + "): " + what,
        cause);
  }
}
