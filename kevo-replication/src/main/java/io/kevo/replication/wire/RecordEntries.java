package io.kevo.replication.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import java.util.NoSuchElementException;

/**
 * The wire entries of one WAL record, produced lazily: one {@code WALEntry} per operation (with
 * {@code batch_first_sequence}/{@code batch_count} for an atomic batch, 0 otherwise), an operation
 * whose payload exceeds {@code fragmentBytes} split into FIRST, MIDDLE..., LAST fragments of the
 * same sequence, each with the CRC-32 of its own bytes. Payloads come from the record's encoding
 * ({@link EncodedRecord}) and are wrapped, not copied. Not thread-safe.
 */
public final class RecordEntries {
  /** Room left in a message for an entry's fields besides its payload. */
  static final int ENTRY_OVERHEAD = 128;

  private final EncodedRecord record;
  private final int fragmentBytes;
  private int op;
  private int at; // where operation `op`'s header starts in record.data()
  private int offset; // bytes of operation `op`'s payload already sent

  public RecordEntries(EncodedRecord record, int fragmentBytes) {
    this.record = record;
    this.fragmentBytes = fragmentBytes;
    this.at = record.offset();
  }

  /** The largest fragment payload for a message budget of {@code batchBytes}. */
  public static int fragmentBytesFor(int batchBytes) {
    return batchBytes - ENTRY_OVERHEAD;
  }

  public EncodedRecord record() {
    return record;
  }

  public boolean hasNext() {
    return op < record.count();
  }

  public WALEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    byte[] data = record.data();
    int payloadLength = EncodedRecord.getInt(data, at);
    int payloadAt = at + EncodedRecord.OP_HEADER;
    FragmentType type;
    int len;
    int crc;
    if (offset == 0 && payloadLength <= fragmentBytes) {
      type = FragmentType.FULL;
      len = payloadLength;
      crc = EncodedRecord.getInt(data, at + 4);
    } else {
      len = Math.min(fragmentBytes, payloadLength - offset);
      boolean last = offset + len == payloadLength;
      type = offset == 0 ? FragmentType.FIRST : last ? FragmentType.LAST : FragmentType.MIDDLE;
      crc = EntryCodec.crc32(data, payloadAt + offset, len);
    }
    ByteString payload = UnsafeByteOperations.unsafeWrap(data, payloadAt + offset, len);
    WALEntry.Builder e =
        WALEntry.newBuilder()
            .setSequenceNumber(record.firstSequence() + op)
            .setPayload(payload)
            .setFragmentType(type)
            .setChecksum(crc);
    if (record.batch()) {
      e.setBatchFirstSequence(record.firstSequence()).setBatchCount(record.count());
    }
    offset += len;
    if (offset == payloadLength) {
      offset = 0;
      at = payloadAt + payloadLength;
      op++;
    }
    return e.build();
  }
}
