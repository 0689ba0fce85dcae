package io.kevo.replication.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALEntryBatch;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.Compressor;
import io.kevo.replication.ReplicationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns the entries of {@link WALStreamResponse}s back into logical {@link WalRecord}s, as {@code
 * replication.proto} describes them: it unpacks {@code packed_entries} or per-entry compressed
 * payloads, verifies each entry's (each fragment's) CRC-32, joins FIRST/MIDDLE.../LAST fragments,
 * decodes operations with {@link EntryCodec} and groups the operations of an atomic batch (by
 * {@code batch_first_sequence}/{@code batch_count}) into one {@code WalRecord(batch=true)}, which
 * is handed out only once its last operation has arrived.
 *
 * <p>Memory is bounded: the fragments and operations of the record being assembled may hold at most
 * {@code maxRecordBytes} of payload; beyond that the record is rejected as {@link
 * Rejection.Kind#TOO_LARGE}.
 *
 * <p>After any rejection the partial record is dropped and the assembler skips entries until one
 * that starts a record (a FULL or FIRST entry that is a single operation or a batch's first one):
 * what follows a damaged entry of a record cannot be used before the primary resends it.
 *
 * <p>Not thread-safe: owned by the replica's apply thread.
 */
public final class RecordAssembler {
  /** What {@link #accept} made of an entry: nothing yet, a complete record, or a rejection. */
  public sealed interface Result permits Assembled, Rejection {}

  /** A complete record. */
  public record Assembled(WalRecord record) implements Result {}

  /**
   * An entry that cannot be used; the record it belongs to (starting at or before {@code sequence})
   * must be sent again.
   */
  public record Rejection(Kind kind, long sequence, String message) implements Result {
    public enum Kind {
      /** A payload does not match its checksum. */
      CHECKSUM,
      /** An entry does not decode or does not fit the entries before it. */
      MALFORMED,
      /** The record would exceed the assembler's memory cap. */
      TOO_LARGE
    }
  }

  private final Compressor compressor;
  private final long maxRecordBytes;

  // The fragmented operation being joined (fragmentSequence < 0: none).
  private long fragmentSequence = -1;
  private final List<byte[]> fragments = new ArrayList<>();
  private long fragmentBytes;

  // The atomic batch being assembled (batchFirst < 0: none).
  private long batchFirst = -1;
  private int batchCount;
  private final List<WalOperation> batchOps = new ArrayList<>();
  private long batchBytes;

  private boolean resyncing;

  public RecordAssembler(Compressor compressor, long maxRecordBytes) {
    this.compressor = Objects.requireNonNull(compressor, "compressor");
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("maxRecordBytes must be positive");
    }
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * The entries of {@code response} with uncompressed payloads, in order (empty for a heartbeat).
   *
   * @throws ReplicationException {@link ReplicationException.Reason#MALFORMED} if {@code
   *     packed_entries} does not decompress or parse (per-entry payloads that do not decompress are
   *     rejected later, entry by entry, by {@link #accept})
   */
  public List<WALEntry> unpack(WALStreamResponse response) {
    if (!response.getPackedEntries().isEmpty()) {
      byte[] raw =
          compressor.decompress(response.getPackedEntries().toByteArray(), response.getCodec());
      try {
        List<WALEntry> out = new ArrayList<>(response.getEntriesList());
        out.addAll(WALEntryBatch.parseFrom(raw).getEntriesList());
        return out;
      } catch (InvalidProtocolBufferException e) {
        throw new ReplicationException(
            ReplicationException.Reason.MALFORMED,
            "packed_entries do not parse as a WALEntryBatch",
            0,
            e);
      }
    }
    if (response.getCompressed() && response.getCodec() != CompressionCodec.NONE) {
      List<WALEntry> out = new ArrayList<>(response.getEntriesCount());
      for (WALEntry e : response.getEntriesList()) {
        byte[] raw;
        try {
          raw = compressor.decompress(e.getPayload().toByteArray(), response.getCodec());
        } catch (ReplicationException ex) {
          // Leave it compressed: its checksum will not match and accept() rejects it, in order.
          raw = e.getPayload().toByteArray();
        }
        out.add(e.toBuilder().setPayload(ByteString.copyFrom(raw)).build());
      }
      return out;
    }
    return response.getEntriesList();
  }

  /**
   * Takes the next entry (with its payload uncompressed, see {@link #unpack}).
   *
   * @return the record it completes, a rejection, or {@code null} if it is part of a record still
   *     being assembled (or skipped after a rejection)
   */
  public Result accept(WALEntry entry) {
    long seq = entry.getSequenceNumber();
    FragmentType type = entry.getFragmentType();
    boolean startsRecord =
        (type == FragmentType.FULL || type == FragmentType.FIRST)
            && (entry.getBatchCount() == 0 || entry.getBatchFirstSequence() == seq);
    if (resyncing) {
      if (!startsRecord) {
        return null;
      }
      resyncing = false;
    }
    try {
      byte[] payload = entry.getPayload().toByteArray();
      int crc = EntryCodec.crc32(payload);
      if (crc != entry.getChecksum()) {
        throw new Reject(
            Rejection.Kind.CHECKSUM,
            seq,
            String.format(
                "entry %d (%s, %d bytes) fails its checksum: %08x sent, %08x computed",
                seq, type, payload.length, entry.getChecksum(), crc));
      }
      byte[] whole = joinFragments(seq, type, payload);
      if (whole == null) {
        return null;
      }
      WalOperation op;
      try {
        op = EntryCodec.decode(whole);
      } catch (ReplicationException e) {
        throw new Reject(Rejection.Kind.MALFORMED, seq, "entry " + seq + ": " + e.getMessage());
      }
      if (op.sequence() != seq) {
        throw new Reject(
            Rejection.Kind.MALFORMED,
            seq,
            "entry " + seq + " carries an operation numbered " + op.sequence());
      }
      return group(entry, op, whole.length);
    } catch (Reject r) {
      long from = batchFirst >= 0 ? batchFirst : r.sequence;
      reset();
      resyncing = true;
      return new Rejection(r.kind, from, r.getMessage());
    }
  }

  /** The complete payload once the LAST fragment (or a FULL entry) arrives, else null. */
  private byte[] joinFragments(long seq, FragmentType type, byte[] payload) {
    switch (type) {
      case FULL -> {
        if (fragmentSequence >= 0) {
          throw fragmentOrder(seq, type);
        }
        return payload;
      }
      case FIRST -> {
        if (fragmentSequence >= 0) {
          throw fragmentOrder(seq, type);
        }
        fragmentSequence = seq;
      }
      case MIDDLE, LAST -> {
        if (fragmentSequence != seq) {
          throw fragmentOrder(seq, type);
        }
      }
      default ->
          throw new Reject(Rejection.Kind.MALFORMED, seq, "entry " + seq + ": unknown fragment");
    }
    fragmentBytes += payload.length;
    if (batchBytes + fragmentBytes > maxRecordBytes) {
      throw tooLarge(seq, batchBytes + fragmentBytes);
    }
    fragments.add(payload);
    if (type != FragmentType.LAST) {
      return null;
    }
    byte[] whole = new byte[(int) fragmentBytes];
    int at = 0;
    for (byte[] f : fragments) {
      System.arraycopy(f, 0, whole, at, f.length);
      at += f.length;
    }
    clearFragments();
    return whole;
  }

  private Result group(WALEntry entry, WalOperation op, int size) {
    long seq = op.sequence();
    if (entry.getBatchCount() == 0) {
      if (batchFirst >= 0) {
        throw new Reject(
            Rejection.Kind.MALFORMED,
            seq,
            "single operation " + seq + " inside the batch starting at " + batchFirst);
      }
      return new Assembled(new WalRecord(List.of(op), false));
    }
    if (batchFirst < 0) {
      if (entry.getBatchFirstSequence() != seq) {
        throw new Reject(
            Rejection.Kind.MALFORMED,
            seq,
            "operation "
                + seq
                + " of a batch starting at "
                + entry.getBatchFirstSequence()
                + " arrived without the batch's first operation");
      }
      batchFirst = seq;
      batchCount = entry.getBatchCount();
    } else if (entry.getBatchFirstSequence() != batchFirst
        || entry.getBatchCount() != batchCount
        || seq != batchFirst + batchOps.size()) {
      throw new Reject(
          Rejection.Kind.MALFORMED,
          seq,
          "operation "
              + seq
              + " (batch "
              + entry.getBatchFirstSequence()
              + "+"
              + entry.getBatchCount()
              + ") does not continue the batch "
              + batchFirst
              + "+"
              + batchCount
              + " after "
              + batchOps.size()
              + " operations");
    }
    batchBytes += size;
    if (batchBytes > maxRecordBytes) {
      throw tooLarge(seq, batchBytes);
    }
    batchOps.add(op);
    if (batchOps.size() < batchCount) {
      return null;
    }
    WalRecord record = new WalRecord(batchOps, true);
    clearBatch();
    return new Assembled(record);
  }

  private Reject fragmentOrder(long seq, FragmentType type) {
    return new Reject(
        Rejection.Kind.MALFORMED,
        seq,
        type
            + " fragment of "
            + seq
            + (fragmentSequence >= 0
                ? " while the fragments of " + fragmentSequence + " are incomplete"
                : " without a FIRST fragment"));
  }

  private Reject tooLarge(long seq, long bytes) {
    return new Reject(
        Rejection.Kind.TOO_LARGE,
        seq,
        "the record containing "
            + seq
            + " exceeds the replica's limit of "
            + maxRecordBytes
            + " bytes being assembled ("
            + bytes
            + " so far)");
  }

  /** Internal control flow from the checks to {@link #accept}; no stack trace. */
  private static final class Reject extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Rejection.Kind kind;
    final long sequence;

    Reject(Rejection.Kind kind, long sequence, String message) {
      super(message, null, false, false);
      this.kind = kind;
      this.sequence = sequence;
    }
  }

  /** Whether a fragmented operation or a batch is partly assembled. */
  boolean partial() {
    return fragmentSequence >= 0 || batchFirst >= 0;
  }

  /**
   * Drops any partial record and skips entries until one starts a record, as after a rejection (for
   * a message that could not be unpacked at all).
   */
  public void discardUntilRecordStart() {
    reset();
    resyncing = true;
  }

  /** Drops any partial record (a new stream starts at a record boundary). */
  public void reset() {
    clearFragments();
    clearBatch();
    resyncing = false;
  }

  private void clearFragments() {
    fragmentSequence = -1;
    fragments.clear();
    fragmentBytes = 0;
  }

  private void clearBatch() {
    batchFirst = -1;
    batchCount = 0;
    batchOps.clear();
    batchBytes = 0;
  }
}
