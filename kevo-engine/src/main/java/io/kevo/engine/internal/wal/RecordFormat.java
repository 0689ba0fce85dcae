package io.kevo.engine.internal.wal;

/**
 * Physical record framing of WAL segments (PROTOCOL.md §3), little-endian:
 *
 * <pre>
 *   crc32 u32 | length u16 | type u8 | data[length]
 * </pre>
 *
 * <p>{@code crc32} is CRC-32 (IEEE) over {@code data} only. {@code type} is FULL=1, FIRST=2,
 * MIDDLE=3, LAST=4. {@code length} is at most {@link #MAX_DATA} (32 KiB); a longer logical record
 * is split into FIRST, MIDDLE..., LAST fragments, every fragment but the last carrying exactly
 * {@link #MAX_DATA} bytes. Records are packed back to back with no padding or block alignment. A
 * zero {@code length} never occurs in a valid segment, so a run of zeros (a preallocated or
 * zero-filled tail) reads as "no record".
 */
public final class RecordFormat {
  public static final int HEADER_SIZE = 7;
  public static final int MAX_DATA = 32 * 1024;

  public static final byte FULL = 1;
  public static final byte FIRST = 2;
  public static final byte MIDDLE = 3;
  public static final byte LAST = 4;

  private RecordFormat() {}

  /** Bytes a logical record of {@code dataLength} bytes takes once framed. */
  public static long framedSize(long dataLength) {
    long fragments = Math.max(1, (dataLength + MAX_DATA - 1) / MAX_DATA);
    return dataLength + fragments * HEADER_SIZE;
  }

  /**
   * Frames one logical record as physical records (for small logs such as the manifest; the WAL
   * frames in place into its write buffer).
   */
  public static byte[] frame(byte[] data) {
    int len = data.length;
    byte[] out = new byte[(int) framedSize(len)];
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    int off = 0;
    do {
      int n = Math.min(MAX_DATA, len - off);
      byte type = n == len ? FULL : off == 0 ? FIRST : off + n == len ? LAST : MIDDLE;
      crc.reset();
      crc.update(data, off, n);
      buf.putInt((int) crc.getValue());
      buf.putShort((short) n);
      buf.put(type);
      buf.put(data, off, n);
      off += n;
    } while (off < len);
    return out;
  }

  static boolean isValidType(int type) {
    return type >= FULL && type <= LAST;
  }
}
