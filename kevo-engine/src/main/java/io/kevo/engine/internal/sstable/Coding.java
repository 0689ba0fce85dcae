package io.kevo.engine.internal.sstable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian fixed-width and varint primitives shared by every SSTable structure. */
final class Coding {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Coding() {}

  static int getFixed32(byte[] b, int off) {
    return (int) INT_LE.get(b, off);
  }

  static long getFixed64(byte[] b, int off) {
    return (long) LONG_LE.get(b, off);
  }

  static void putFixed32(byte[] b, int off, int v) {
    INT_LE.set(b, off, v);
  }

  static void putFixed64(byte[] b, int off, long v) {
    LONG_LE.set(b, off, v);
  }

  /** Bytes a varint of {@code v} (taken as unsigned) occupies. */
  static int varintLength(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }
}
