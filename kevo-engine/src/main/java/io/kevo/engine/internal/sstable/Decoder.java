package io.kevo.engine.internal.sstable;

/**
 * A bounds-checked little-endian reader over {@code [pos, limit)} of an array. Every read that
 * would run past the limit, and every malformed varint, throws {@link FormatException} rather than
 * an index exception, so callers can turn it into a CORRUPTION error naming the file.
 */
final class Decoder {
  private final byte[] buf;
  private int pos;
  private final int limit;

  Decoder(byte[] buf, int pos, int limit) {
    if (pos < 0 || limit > buf.length || pos > limit) {
      throw new FormatException("bad range [" + pos + ", " + limit + ")");
    }
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return limit - pos;
  }

  private void need(int n) {
    if (n < 0 || limit - pos < n) {
      throw new FormatException(
          "needs " + n + " bytes at " + pos + " but only " + (limit - pos) + " remain");
    }
  }

  int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int readFixed32() {
    need(4);
    int v = Coding.getFixed32(buf, pos);
    pos += 4;
    return v;
  }

  long readFixed64() {
    need(8);
    long v = Coding.getFixed64(buf, pos);
    pos += 8;
    return v;
  }

  long readVarint64() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new FormatException("varint longer than 10 bytes at " + pos);
  }

  /** A varint that must fit a non-negative int (lengths, counts). */
  int readVarint32() {
    long v = readVarint64();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new FormatException("length " + v + " out of range at " + pos);
    }
    return (int) v;
  }

  byte[] readBytes(int n) {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  void skip(int n) {
    need(n);
    pos += n;
  }

  void expectEnd() {
    if (pos != limit) {
      throw new FormatException((limit - pos) + " unexpected trailing bytes");
    }
  }
}
