package io.kevo.engine.internal.wal;

import io.kevo.engine.internal.wal.SegmentReadException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads logical records (reassembled from physical records, see {@link RecordFormat}) from one
 * segment, up to a readable limit that the caller may raise as the writer appends. Never reads past
 * the limit, so bytes the writer has not finished are never seen. Not thread-safe.
 */
public final class SegmentReader {
  private static final int BUFFER_SIZE = 128 * 1024;

  private final FileChannel channel;
  private final ByteBuffer buf =
      ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32 crc = new CRC32();
  private long bufStart;
  private long limit;
  private long position;

  /** Reads {@code channel} from offset {@code start} up to {@code limit} bytes. */
  public SegmentReader(FileChannel channel, long start, long limit) {
    this.channel = channel;
    this.position = start;
    this.limit = limit;
    this.buf.limit(0);
    this.bufStart = start;
  }

  /** Raises the readable limit (the writer appended more). */
  public void setLimit(long limit) {
    this.limit = limit;
  }

  /** Offset just past the last complete logical record returned. */
  public long position() {
    return position;
  }

  /**
   * The next logical record's data, or {@code null} when the reader is exactly at the limit.
   *
   * @throws SegmentReadException on anything else; {@link #position()} is unchanged
   */
  public byte[] next() throws IOException, SegmentReadException {
    if (position >= limit) {
      return null;
    }
    long logicalStart = position;
    long p = position;
    byte[] assembled = null;
    int assembledLen = 0;
    while (true) {
      if (p + RecordFormat.HEADER_SIZE > limit) {
        throw new SegmentReadException(
            Problem.INCOMPLETE, logicalStart, p, -1, "record header cut off at end of segment");
      }
      fill(p, RecordFormat.HEADER_SIZE);
      int at = (int) (p - bufStart);
      int storedCrc = buf.getInt(at);
      int length = buf.getShort(at + 4) & 0xFFFF;
      int type = buf.get(at + 6);
      if (length == 0 || length > RecordFormat.MAX_DATA) {
        throw new SegmentReadException(
            Problem.BAD_LENGTH, logicalStart, p, -1, "invalid record length " + length);
      }
      long end = p + RecordFormat.HEADER_SIZE + length;
      if (!RecordFormat.isValidType(type)) {
        throw new SegmentReadException(
            Problem.BAD_TYPE, logicalStart, p, end, "invalid record type " + type);
      }
      if (end > limit) {
        throw new SegmentReadException(
            Problem.INCOMPLETE, logicalStart, p, -1, "record data cut off at end of segment");
      }
      fill(p, RecordFormat.HEADER_SIZE + length);
      at = (int) (p - bufStart);
      ByteBuffer data = buf.duplicate();
      data.position(at + RecordFormat.HEADER_SIZE).limit(at + RecordFormat.HEADER_SIZE + length);
      crc.reset();
      crc.update(data);
      if ((int) crc.getValue() != storedCrc) {
        throw new SegmentReadException(
            Problem.BAD_CRC, logicalStart, p, end, "checksum mismatch in record");
      }
      boolean first = assembled == null;
      if (type == RecordFormat.FULL || type == RecordFormat.FIRST) {
        if (!first) {
          throw new SegmentReadException(
              Problem.BAD_FRAGMENTS, logicalStart, p, end, "fragmented record interrupted");
        }
      } else if (first) {
        throw new SegmentReadException(
            Problem.BAD_FRAGMENTS, logicalStart, p, end, "continuation fragment without a FIRST");
      }
      if (type == RecordFormat.FULL) {
        byte[] out = new byte[length];
        buf.get(at + RecordFormat.HEADER_SIZE, out);
        position = end;
        return out;
      }
      if (first) {
        assembled = new byte[Math.max(2 * RecordFormat.MAX_DATA, length)];
      } else if (assembledLen + length > assembled.length) {
        assembled = Arrays.copyOf(assembled, Math.max(assembled.length * 2, assembledLen + length));
      }
      buf.get(at + RecordFormat.HEADER_SIZE, assembled, assembledLen, length);
      assembledLen += length;
      p = end;
      if (type == RecordFormat.LAST) {
        position = end;
        return Arrays.copyOf(assembled, assembledLen);
      }
      if (p >= limit) {
        throw new SegmentReadException(
            Problem.INCOMPLETE, logicalStart, p, -1, "fragmented record cut off at end of segment");
      }
    }
  }

  /** Makes bytes {@code [offset, offset + n)} available in {@link #buf}. */
  private void fill(long offset, int n) throws IOException {
    if (offset >= bufStart && offset + n <= bufStart + buf.limit()) {
      return;
    }
    buf.clear();
    bufStart = offset;
    long want = Math.min(BUFFER_SIZE, limit - offset);
    buf.limit((int) want);
    while (buf.position() < n) {
      int r = channel.read(buf, offset + buf.position());
      if (r < 0) {
        throw new IOException("segment shorter than its readable limit at offset " + offset);
      }
    }
    buf.limit(buf.position());
    buf.position(0);
  }
}
