package io.kevo.engine.internal.sstable;

import java.util.zip.CRC32C;

/**
 * The fixed 64-byte footer at the end of every table: handles of the index, bloom and properties
 * blocks, the format version, a CRC-32C of everything before it, and the magic number.
 *
 * <pre>
 *  0 u64 index offset     8 u64 index size
 * 16 u64 bloom offset    24 u64 bloom size      (both 0 when the table has no filter)
 * 32 u64 props offset    40 u64 props size
 * 48 u32 format version
 * 52 u32 CRC-32C of bytes [0, 52)
 * 56 u64 magic "KEVOSST1"
 * </pre>
 */
record Footer(BlockHandle index, BlockHandle bloom, BlockHandle properties, int version) {

  byte[] encode() {
    byte[] b = new byte[TableFormat.FOOTER_SIZE];
    Coding.putFixed64(b, 0, index.offset());
    Coding.putFixed64(b, 8, index.size());
    Coding.putFixed64(b, 16, bloom.offset());
    Coding.putFixed64(b, 24, bloom.size());
    Coding.putFixed64(b, 32, properties.offset());
    Coding.putFixed64(b, 40, properties.size());
    Coding.putFixed32(b, 48, version);
    Coding.putFixed32(b, 52, crc(b));
    Coding.putFixed64(b, 56, TableFormat.MAGIC);
    return b;
  }

  /**
   * Decodes and checks a footer read from a file of {@code fileSize} bytes: magic, checksum,
   * version and that every handle lies inside the file before the footer.
   *
   * @throws FormatException naming what is wrong
   */
  static Footer decode(byte[] b, long fileSize) {
    if (b.length != TableFormat.FOOTER_SIZE) {
      throw new FormatException("footer is " + b.length + " bytes");
    }
    long magic = Coding.getFixed64(b, 56);
    if (magic != TableFormat.MAGIC) {
      throw new FormatException(
          "bad magic number 0x" + Long.toHexString(magic) + " (not an sstable, or truncated)");
    }
    if (Coding.getFixed32(b, 52) != crc(b)) {
      throw new FormatException("footer checksum mismatch");
    }
    int version = Coding.getFixed32(b, 48);
    if (version != TableFormat.FORMAT_VERSION) {
      throw new FormatException("unsupported format version " + version);
    }
    Footer f =
        new Footer(
            handle(b, 0, fileSize, "index"),
            handle(b, 16, fileSize, "bloom"),
            handle(b, 32, fileSize, "properties"),
            version);
    if (f.index.size() == 0 || f.properties.size() == 0) {
      throw new FormatException("footer lacks an index or properties block");
    }
    return f;
  }

  boolean hasBloom() {
    return bloom.size() != 0;
  }

  private static BlockHandle handle(byte[] b, int off, long fileSize, String what) {
    long offset = Coding.getFixed64(b, off);
    long size = Coding.getFixed64(b, off + 8);
    long limit = fileSize - TableFormat.FOOTER_SIZE;
    if (offset == 0 && size == 0) {
      return BlockHandle.NONE;
    }
    if (offset < 0
        || size < 0
        || size > TableFormat.MAX_BLOCK_SIZE
        || offset > limit - size - TableFormat.BLOCK_TRAILER_SIZE) {
      throw new FormatException(
          what + " handle (" + offset + ", " + size + ") outside the file of " + fileSize);
    }
    return new BlockHandle(offset, size);
  }

  private static int crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b, 0, 52);
    return (int) c.getValue();
  }
}
