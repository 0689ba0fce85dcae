package io.kevo.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Function;

/**
 * The one encoding of a single operation, shared by the write-ahead log (each operation of a
 * logical record) and replication (each {@code WALEntry.payload}, PROTOCOL.md §2), little-endian:
 *
 * <pre>
 *   op u8 (1=PUT, 2=DELETE) | sequence u64 | keyLen u32 | key | valLen u32 | value
 * </pre>
 *
 * ({@code valLen | value} absent for DELETE; a PUT with {@code valLen = 0} is an empty value).
 * Decoding checks every length, the type and the sequence, so a malformed payload is an error,
 * never a wrong write; the caller names the exception, since a malformed log record and a malformed
 * replication frame are reported differently. Stateless.
 */
public final class OperationPayload {
  /** The bytes before the key: type, sequence, key length. */
  public static final int HEADER = 1 + 8 + 4;

  private OperationPayload() {}

  /** Encoded size of an operation on {@code key} with {@code value} (null for a DELETE). */
  public static int size(byte[] key, byte[] value) {
    return HEADER + key.length + (value == null ? 0 : 4 + value.length);
  }

  /** Encoded size of {@code op}. */
  public static int size(WalOperation op) {
    return size(op.key(), op.type() == OpType.PUT ? op.value() : null);
  }

  /** Writes one operation at the buffer's position; the buffer must be little-endian. */
  public static void write(ByteBuffer out, OpType type, long sequence, byte[] key, byte[] value) {
    out.put((byte) type.code());
    out.putLong(sequence);
    out.putInt(key.length);
    out.put(key);
    if (type == OpType.PUT) {
      out.putInt(value.length);
      out.put(value);
    }
  }

  /**
   * Writes {@code op} at {@code dst[at]}, which has room for {@link #size(WalOperation)}.
   *
   * @return the bytes written
   */
  public static int encodeInto(WalOperation op, byte[] dst, int at) {
    ByteBuffer b = ByteBuffer.wrap(dst, at, dst.length - at).order(ByteOrder.LITTLE_ENDIAN);
    write(b, op.type(), op.sequence(), op.key(), op.value());
    return b.position() - at;
  }

  /** {@code op} as a standalone payload. */
  public static byte[] encode(WalOperation op) {
    byte[] out = new byte[size(op)];
    encodeInto(op, out, 0);
    return out;
  }

  /**
   * Reads one operation at the buffer's position (little-endian), leaving the position after it.
   *
   * @param malformed makes the exception thrown for a malformed operation from its description
   */
  public static WalOperation read(ByteBuffer in, Function<String, RuntimeException> malformed) {
    if (in.remaining() < HEADER) {
      throw malformed.apply(
          "operation header truncated (" + in.remaining() + " of " + HEADER + " bytes)");
    }
    int code = in.get() & 0xFF;
    OpType type = OpType.fromCode(code);
    if (type == null) {
      throw malformed.apply("unknown operation type " + code);
    }
    long sequence = in.getLong();
    if (sequence <= 0) {
      throw malformed.apply("invalid sequence " + sequence);
    }
    byte[] key = bytes(in, "key", malformed);
    byte[] value = type == OpType.PUT ? bytes(in, "value", malformed) : null;
    return new WalOperation(type, sequence, key, value);
  }

  /**
   * Decodes a payload holding exactly one operation.
   *
   * @param malformed makes the exception thrown for a malformed payload from its description
   */
  public static WalOperation decode(byte[] payload, Function<String, RuntimeException> malformed) {
    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    WalOperation op = read(in, malformed);
    if (in.hasRemaining()) {
      throw malformed.apply(in.remaining() + " trailing bytes after the operation");
    }
    return op;
  }

  private static byte[] bytes(
      ByteBuffer in, String what, Function<String, RuntimeException> malformed) {
    if (in.remaining() < 4) {
      throw malformed.apply(what + " length truncated");
    }
    long len = Integer.toUnsignedLong(in.getInt());
    if (len > in.remaining()) {
      throw malformed.apply(
          what + " length " + len + " exceeds the " + in.remaining() + " bytes left");
    }
    byte[] out = new byte[(int) len];
    in.get(out);
    return out;
  }
}
