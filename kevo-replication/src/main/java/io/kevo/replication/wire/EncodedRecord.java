package io.kevo.replication.wire;

import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import java.util.List;

/**
 * One WAL record as the primary sends it: the {@code WALEntry.payload} of each operation ({@link
 * EntryCodec}) with its CRC-32, encoded once and laid out in {@code data[offset, offset + length)}
 * as
 *
 * <pre>
 *   per operation: payloadLen u32 | crc u32 | payload      (little-endian)
 * </pre>
 *
 * The operations carry the consecutive sequences {@code firstSequence ... firstSequence + count −
 * 1} ({@link WalRecord}). Immutable: {@code data} is never written once the record is built, so
 * entries may wrap slices of it without copying; several records may share one array.
 */
public final class EncodedRecord {
  /** Bytes per operation besides its payload: its length and its CRC. */
  static final int OP_HEADER = 8;

  private final long firstSequence;
  private final int count;
  private final boolean batch;
  private final byte[] data;
  private final int offset;
  private final int length;

  public EncodedRecord(
      long firstSequence, int count, boolean batch, byte[] data, int offset, int length) {
    this.firstSequence = firstSequence;
    this.count = count;
    this.batch = batch;
    this.data = data;
    this.offset = offset;
    this.length = length;
  }

  /** Encodes {@code r} into an array of its own. */
  public static EncodedRecord of(WalRecord r) {
    byte[] data = new byte[Math.toIntExact(sizeOf(r.operations()))];
    encode(r.operations(), data, 0);
    return new EncodedRecord(
        r.firstSequence(), r.operations().size(), r.batch(), data, 0, data.length);
  }

  /** Encoded size of a record of {@code ops}. */
  public static long sizeOf(List<WalOperation> ops) {
    long n = 0;
    for (WalOperation op : ops) {
      n += OP_HEADER + OperationPayload.size(op);
    }
    return n;
  }

  /**
   * Writes the encoding of a record of {@code ops} (at least one) at {@code dst[at]}, which has
   * room for {@link #sizeOf}.
   */
  public static void encode(List<WalOperation> ops, byte[] dst, int at) {
    int p = at;
    long expected = ops.get(0).sequence();
    for (WalOperation op : ops) {
      if (op.sequence() != expected++) {
        throw new IllegalArgumentException(
            "a WAL record's operations carry consecutive sequences; found "
                + op.sequence()
                + " where "
                + (expected - 1)
                + " was due");
      }
      int len = OperationPayload.encodeInto(op, dst, p + OP_HEADER);
      putInt(dst, p, len);
      putInt(dst, p + 4, EntryCodec.crc32(dst, p + OP_HEADER, len));
      p += OP_HEADER + len;
    }
  }

  public long firstSequence() {
    return firstSequence;
  }

  public long lastSequence() {
    return firstSequence + count - 1;
  }

  public int count() {
    return count;
  }

  public boolean batch() {
    return batch;
  }

  public byte[] data() {
    return data;
  }

  public int offset() {
    return offset;
  }

  /** Encoded bytes, headers included. */
  public int length() {
    return length;
  }

  static int getInt(byte[] b, int at) {
    return (b[at] & 0xff)
        | (b[at + 1] & 0xff) << 8
        | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }
}
