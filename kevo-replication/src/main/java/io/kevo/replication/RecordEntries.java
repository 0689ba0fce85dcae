package io.kevo.replication;

import com.google.protobuf.ByteString;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import java.util.NoSuchElementException;

/**
 * The wire entries of one WAL record, produced lazily: one {@code WALEntry} per operation (with
 * {@code batch_first_sequence}/{@code batch_count} for an atomic batch, 0 otherwise), an operation
 * whose payload exceeds {@code fragmentBytes} split into FIRST, MIDDLE..., LAST fragments of the
 * same sequence, each with the CRC-32 of its own bytes. Holds one encoded operation at a time. Not
 * thread-safe.
 */
final class RecordEntries {
  /** Room left in a message for an entry's fields besides its payload. */
  static final int ENTRY_OVERHEAD = 128;

  private final WalRecord record;
  private final int fragmentBytes;
  private int op;
  private byte[] payload;
  private int offset;

  RecordEntries(WalRecord record, int fragmentBytes) {
    this.record = record;
    this.fragmentBytes = fragmentBytes;
  }

  /** The largest fragment payload for a message budget of {@code batchBytes}. */
  static int fragmentBytesFor(int batchBytes) {
    return batchBytes - ENTRY_OVERHEAD;
  }

  WalRecord record() {
    return record;
  }

  boolean hasNext() {
    return op < record.operations().size();
  }

  WALEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    WalOperation o = record.operations().get(op);
    if (payload == null) {
      payload = EntryCodec.encode(o);
      offset = 0;
    }
    FragmentType type;
    int len;
    if (offset == 0 && payload.length <= fragmentBytes) {
      type = FragmentType.FULL;
      len = payload.length;
    } else {
      len = Math.min(fragmentBytes, payload.length - offset);
      boolean last = offset + len == payload.length;
      type = offset == 0 ? FragmentType.FIRST : last ? FragmentType.LAST : FragmentType.MIDDLE;
    }
    byte[] chunk =
        len == payload.length
            ? payload
            : java.util.Arrays.copyOfRange(payload, offset, offset + len);
    WALEntry.Builder e =
        WALEntry.newBuilder()
            .setSequenceNumber(o.sequence())
            .setPayload(ByteString.copyFrom(chunk))
            .setFragmentType(type)
            .setChecksum(EntryCodec.crc32(chunk));
    if (record.batch()) {
      e.setBatchFirstSequence(record.firstSequence()).setBatchCount(record.operations().size());
    }
    offset += len;
    if (offset == payload.length) {
      payload = null;
      op++;
    }
    return e.build();
  }
}
