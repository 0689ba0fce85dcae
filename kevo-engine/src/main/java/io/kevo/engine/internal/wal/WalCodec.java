package io.kevo.engine.internal.wal;

import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Logical WAL record layouts (the {@code data} reassembled from physical records), little-endian.
 *
 * <p>A single operation is exactly the replication payload of PROTOCOL.md §2, written and read by
 * {@link OperationPayload}. An atomic batch is:
 *
 * <pre>
 *   0x10 u8 | firstSequence u64 | count u32 | operation payload * count
 * </pre>
 *
 * where operation {@code i} is a single-operation payload as above whose sequence must equal {@code
 * firstSequence + i}. Decoding checks every length against the record's size and the sequences for
 * consistency, so a record that passed its CRC but is malformed is reported, never half-applied.
 */
public final class WalCodec {
  public static final byte BATCH_TAG = 0x10;
  static final int OP_HEADER = OperationPayload.HEADER;
  static final int BATCH_HEADER = 1 + 8 + 4;

  private WalCodec() {}

  /** Writes a batch header; the caller writes {@code count} operation payloads after it. */
  public static void writeBatchHeader(ByteBuffer out, long firstSequence, int count) {
    out.put(BATCH_TAG);
    out.putLong(firstSequence);
    out.putInt(count);
  }

  /**
   * Decodes one operation payload occupying the whole of {@code payload}.
   *
   * @throws WalFormatException if it is malformed
   */
  public static WalOperation decodeOperation(byte[] payload) {
    return OperationPayload.decode(payload, WalFormatException::new);
  }

  /**
   * Decodes a logical record.
   *
   * @throws WalFormatException if it is malformed
   */
  public static WalRecord decode(byte[] data) {
    if (data.length == 0) {
      throw new WalFormatException("empty logical record");
    }
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (data[0] == BATCH_TAG) {
      if (data.length < BATCH_HEADER) {
        throw new WalFormatException("batch header truncated");
      }
      buf.get();
      long first = buf.getLong();
      int count = buf.getInt();
      if (count <= 0 || count > (data.length - BATCH_HEADER) / OP_HEADER) {
        throw new WalFormatException("batch count " + count + " does not fit its record");
      }
      List<WalOperation> ops = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        WalOperation op = readOperation(buf);
        if (op.sequence() != first + i) {
          throw new WalFormatException(
              "batch operation "
                  + i
                  + " has sequence "
                  + op.sequence()
                  + ", expected "
                  + (first + i));
        }
        ops.add(op);
      }
      if (buf.hasRemaining()) {
        throw new WalFormatException(buf.remaining() + " trailing bytes after a batch");
      }
      return new WalRecord(ops, true);
    }
    WalOperation op = readOperation(buf);
    if (buf.hasRemaining()) {
      throw new WalFormatException(buf.remaining() + " trailing bytes after an operation");
    }
    return new WalRecord(List.of(op), false);
  }

  private static WalOperation readOperation(ByteBuffer buf) {
    return OperationPayload.read(buf, WalFormatException::new);
  }
}
