package io.kevo.engine.internal.sstable;

import java.util.Arrays;

/**
 * A growable little-endian output buffer. Not thread-safe; reused by builders via {@link #reset}.
 */
final class ByteSink {
  private byte[] buf;
  private int len;

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return len;
  }

  /** The backing array; bytes {@code [0, size())} are valid. */
  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  void reset() {
    len = 0;
  }

  private void ensure(int extra) {
    int need = len + extra;
    if (need > buf.length) {
      // Doubling keeps appends amortised O(1); the cap guards against int overflow.
      long grown = Math.max((long) buf.length * 2, need);
      buf = Arrays.copyOf(buf, (int) Math.min(grown, Integer.MAX_VALUE - 8));
    }
  }

  void writeByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  void writeBytes(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, buf, len, n);
    len += n;
  }

  void writeBytes(byte[] src) {
    writeBytes(src, 0, src.length);
  }

  void writeFixed32(int v) {
    ensure(4);
    Coding.putFixed32(buf, len, v);
    len += 4;
  }

  void writeFixed64(long v) {
    ensure(8);
    Coding.putFixed64(buf, len, v);
    len += 8;
  }

  void writeVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }
}
