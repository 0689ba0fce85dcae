package io.kevo.engine;

/**
 * Per-block compression of SSTable data blocks. A block is stored uncompressed whenever its
 * compressed form would not save at least an eighth of its size, so any choice is safe for
 * incompressible data. Readers decode whatever each block says it holds, so a database may change
 * this setting between openings.
 */
public enum Compression {
  /** Blocks are stored as they are. */
  NONE,
  /** Snappy (snappy-java, native): fast, modest ratio. */
  SNAPPY,
  /** LZ4 (lz4-java): the fastest to decode, modest ratio. */
  LZ4,
  /** Zstandard level 3 (zstd-jni, native): the best ratio, slower to write. */
  ZSTD
}
