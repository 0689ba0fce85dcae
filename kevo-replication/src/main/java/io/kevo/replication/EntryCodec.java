package io.kevo.replication;

import io.kevo.engine.OpType;
import io.kevo.engine.WalOperation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The {@code WALEntry.payload} of one operation (PROTOCOL.md §2), little-endian:
 *
 * <pre>
 *   op u8 (1=PUT, 2=DELETE) | sequence u64 | keyLen u32 | key | valLen u32 | value
 * </pre>
 *
 * ({@code valLen | value} absent for DELETE), and the CRC-32 (IEEE) that {@code WALEntry.checksum}
 * carries. Decoding checks every length, so a malformed payload is an error, never a wrong write.
 */
public final class EntryCodec {
  private static final int HEADER = 1 + 8 + 4;

  private EntryCodec() {}

  /** Encoded size of {@code op}'s payload. */
  public static int size(WalOperation op) {
    return HEADER + op.key().length + (op.type() == OpType.PUT ? 4 + op.value().length : 0);
  }

  public static byte[] encode(WalOperation op) {
    byte[] out = new byte[size(op)];
    encodeInto(op, out, 0);
    return out;
  }

  /**
   * Writes {@code op}'s payload at {@code dst[at]}, which has room for {@link #size}.
   *
   * @return the bytes written, {@link #size}
   */
  public static int encodeInto(WalOperation op, byte[] dst, int at) {
    ByteBuffer b = ByteBuffer.wrap(dst, at, dst.length - at).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) op.type().code());
    b.putLong(op.sequence());
    b.putInt(op.key().length);
    b.put(op.key());
    if (op.type() == OpType.PUT) {
      b.putInt(op.value().length);
      b.put(op.value());
    }
    return b.position() - at;
  }

  /**
   * Decodes a complete payload.
   *
   * @throws ReplicationException {@link ReplicationException.Reason#MALFORMED} naming what is wrong
   */
  public static WalOperation decode(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < HEADER) {
      throw malformed(
          "payload of " + payload.length + " bytes is shorter than an operation header");
    }
    int code = b.get() & 0xff;
    OpType type;
    if (code == 1) {
      type = OpType.PUT;
    } else if (code == 2) {
      type = OpType.DELETE;
    } else {
      throw malformed("unknown operation type " + code);
    }
    long sequence = b.getLong();
    byte[] key = bytes(b, "key");
    byte[] value = null;
    if (type == OpType.PUT) {
      if (b.remaining() < 4) {
        throw malformed("PUT payload ends before its value length");
      }
      value = bytes(b, "value");
    }
    if (b.hasRemaining()) {
      throw malformed(b.remaining() + " trailing bytes after the operation");
    }
    return new WalOperation(type, sequence, key, value);
  }

  private static byte[] bytes(ByteBuffer b, String what) {
    long len = Integer.toUnsignedLong(b.getInt());
    if (len > b.remaining()) {
      throw malformed(what + " length " + len + " exceeds the " + b.remaining() + " bytes left");
    }
    byte[] out = new byte[(int) len];
    b.get(out);
    return out;
  }

  /** CRC-32 (IEEE) of {@code data}, as {@code WALEntry.checksum} carries it. */
  public static int crc32(byte[] data) {
    return crc32(data, 0, data.length);
  }

  /** CRC-32 (IEEE) of {@code data[offset, offset + length)}. */
  public static int crc32(byte[] data, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  private static ReplicationException malformed(String message) {
    return new ReplicationException(ReplicationException.Reason.MALFORMED, message);
  }
}
