package io.kevo.replication.wire;

import com.google.protobuf.ByteString;
import io.kevo.engine.OpType;
import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALEntryBatch;
import io.kevo.proto.replication.WALStreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds wire entries and responses the way a primary does (test helper). */
public final class ReplicaEntries {
  private ReplicaEntries() {}

  public static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static WalOperation put(long seq, String key, String value) {
    return new WalOperation(OpType.PUT, seq, b(key), b(value));
  }

  public static WalOperation del(long seq, String key) {
    return new WalOperation(OpType.DELETE, seq, b(key), null);
  }

  /** Single operations {@code from..to}, putting {@code k<seq>} = {@code v<seq>}. */
  public static List<WALEntry> singles(long from, long to) {
    List<WALEntry> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(full(put(s, "k" + s, "v" + s)));
    }
    return out;
  }

  public static WALEntry full(WalOperation op) {
    return entry(op.sequence(), OperationPayload.encode(op), FragmentType.FULL, 0, 0);
  }

  public static WALEntry entry(
      long seq, byte[] payload, FragmentType type, long batchFirst, int batchCount) {
    return WALEntry.newBuilder()
        .setSequenceNumber(seq)
        .setPayload(ByteString.copyFrom(payload))
        .setFragmentType(type)
        .setChecksum(EntryCodec.crc32(payload))
        .setBatchFirstSequence(batchFirst)
        .setBatchCount(batchCount)
        .build();
  }

  /** The operations of one atomic batch, each a FULL entry carrying the batch boundaries. */
  public static List<WALEntry> batch(List<WalOperation> ops) {
    long first = ops.get(0).sequence();
    List<WALEntry> out = new ArrayList<>();
    for (WalOperation op : ops) {
      out.add(
          entry(op.sequence(), OperationPayload.encode(op), FragmentType.FULL, first, ops.size()));
    }
    return out;
  }

  /** {@code op} split into {@code pieces} fragments (FIRST, MIDDLE..., LAST). */
  public static List<WALEntry> fragments(
      WalOperation op, int pieces, long batchFirst, int batchCount) {
    byte[] p = OperationPayload.encode(op);
    List<WALEntry> out = new ArrayList<>();
    int step = (p.length + pieces - 1) / pieces;
    for (int i = 0; i < pieces; i++) {
      byte[] part =
          Arrays.copyOfRange(p, Math.min(i * step, p.length), Math.min((i + 1) * step, p.length));
      FragmentType t =
          i == 0 ? FragmentType.FIRST : i == pieces - 1 ? FragmentType.LAST : FragmentType.MIDDLE;
      out.add(entry(op.sequence(), part, t, batchFirst, batchCount));
    }
    return out;
  }

  /** {@code e} with one payload byte flipped (its checksum left as it was). */
  public static WALEntry corrupt(WALEntry e) {
    byte[] p = e.getPayload().toByteArray();
    p[p.length - 1] ^= 0x5a;
    return e.toBuilder().setPayload(ByteString.copyFrom(p)).build();
  }

  public static long lastSequence(List<WALEntry> entries) {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).getSequenceNumber();
  }

  /** An uncompressed response whose primary_last_sequence is its last entry's. */
  public static WALStreamResponse response(List<WALEntry> entries) {
    return WALStreamResponse.newBuilder()
        .addAllEntries(entries)
        .setPrimaryLastSequence(lastSequence(entries))
        .setPrimaryTimeMicros(System.currentTimeMillis() * 1000)
        .build();
  }

  public static WALStreamResponse heartbeat(long primaryLast) {
    return WALStreamResponse.newBuilder()
        .setPrimaryLastSequence(primaryLast)
        .setPrimaryTimeMicros(System.currentTimeMillis() * 1000)
        .build();
  }

  /** Kevo's form: each payload compressed on its own. */
  public static WALStreamResponse perEntryCompressed(
      CompressionCodec codec, List<WALEntry> entries) {
    CodecCompressor c = new CodecCompressor();
    WALStreamResponse.Builder r =
        WALStreamResponse.newBuilder()
            .setCompressed(true)
            .setCodec(codec)
            .setPrimaryLastSequence(lastSequence(entries))
            .setPrimaryTimeMicros(System.currentTimeMillis() * 1000);
    for (WALEntry e : entries) {
      r.addEntries(
          e.toBuilder()
              .setPayload(ByteString.copyFrom(c.compress(e.getPayload().toByteArray(), codec))));
    }
    return r.build();
  }

  /** Our form: the whole WALEntryBatch compressed into packed_entries. */
  public static WALStreamResponse packed(CompressionCodec codec, List<WALEntry> entries) {
    byte[] raw = WALEntryBatch.newBuilder().addAllEntries(entries).build().toByteArray();
    return WALStreamResponse.newBuilder()
        .setCompressed(true)
        .setCodec(codec)
        .setPackedEntries(ByteString.copyFrom(new CodecCompressor().compress(raw, codec)))
        .setPrimaryLastSequence(lastSequence(entries))
        .setPrimaryTimeMicros(System.currentTimeMillis() * 1000)
        .build();
  }
}
