package io.kevo.engine.internal.wal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * Frames logical records in place in the WAL's write buffer as {@link RecordFormat} lays them out:
 * one {@code FULL} physical record when the data fits, else {@code FIRST}, {@code MIDDLE}...,
 * {@code LAST}; each header holds the CRC-32 of its data, the length and the type, little-endian.
 * Keeps one direct encode buffer for groups up to 4 MiB, grown by doubling; a larger group gets a
 * buffer of its own.
 *
 * <p>Not thread-safe: owned by the {@link WalWriter}, used only by the appending leader under the
 * log's lock.
 */
final class RecordFramer {
  private static final int INITIAL_BUFFER = 64 * 1024;
  private static final int MAX_RETAINED_BUFFER = 4 << 20;

  private final CRC32 crc = new CRC32();
  private ByteBuffer out = ByteBuffer.allocateDirect(INITIAL_BUFFER).order(ByteOrder.LITTLE_ENDIAN);

  /** A cleared buffer of at least {@code total} bytes. */
  ByteBuffer buffer(long total) {
    if (total > MAX_RETAINED_BUFFER) {
      if (total > Integer.MAX_VALUE - 16) {
        throw new KevoException(ErrorCode.INVALID_ARGUMENT, "write of " + total + " bytes");
      }
      return ByteBuffer.allocateDirect((int) total).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (out.capacity() < total) {
      int cap = out.capacity();
      while (cap < total) {
        cap *= 2;
      }
      out = ByteBuffer.allocateDirect(cap).order(ByteOrder.LITTLE_ENDIAN);
    }
    out.clear();
    return out;
  }

  /** Appends {@code w}, numbered already, to {@code buf} as one or more physical records. */
  void frame(ByteBuffer buf, PendingWrite w) {
    int hdr = buf.position();
    buf.position(hdr + RecordFormat.HEADER_SIZE);
    w.encode(buf);
    int len = buf.position() - hdr - RecordFormat.HEADER_SIZE;
    if (len <= RecordFormat.MAX_DATA) {
      header(buf, hdr, RecordFormat.FULL, len);
      return;
    }
    byte[] data = new byte[len];
    buf.get(hdr + RecordFormat.HEADER_SIZE, data);
    buf.position(hdr);
    for (int off = 0; off < len; ) {
      int n = Math.min(RecordFormat.MAX_DATA, len - off);
      byte type =
          off == 0 ? RecordFormat.FIRST : off + n == len ? RecordFormat.LAST : RecordFormat.MIDDLE;
      int h = buf.position();
      buf.position(h + RecordFormat.HEADER_SIZE);
      buf.put(data, off, n);
      header(buf, h, type, n);
      off += n;
    }
  }

  private void header(ByteBuffer buf, int at, byte type, int len) {
    ByteBuffer data = buf.duplicate();
    data.limit(at + RecordFormat.HEADER_SIZE + len).position(at + RecordFormat.HEADER_SIZE);
    crc.reset();
    crc.update(data);
    buf.putInt(at, (int) crc.getValue());
    buf.putShort(at + 4, (short) len);
    buf.put(at + 6, type);
  }
}
