package io.kevo.replication.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALEntryBatch;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.Batcher;
import io.kevo.replication.Compressor;
import java.util.ArrayList;
import java.util.List;

/**
 * The primary's {@link Batcher}: entries up to a byte budget, compressed with the session's codec
 * when that saves at least {@value #MIN_SAVING_PERCENT}%. Not thread-safe: each session owns one.
 *
 * <p>Two compressed forms (see {@code replication.proto}): for a replica that accepts it, the whole
 * {@code WALEntryBatch} compressed into {@code packed_entries} (better ratio: keys and values of
 * neighbouring entries compress together); otherwise Kevo's form, each payload compressed on its
 * own. Checksums are always those of the uncompressed payloads, as the entries arrive.
 */
public final class ResponseBatcher implements Batcher {
  static final int MIN_SAVING_PERCENT = 10;

  private final int maxBytes;
  private final CompressionCodec codec;
  private final boolean packed;
  private final Compressor compressor;
  private final List<WALEntry> entries = new ArrayList<>();
  private int size;

  /**
   * @param maxBytes budget of the entries' serialized size (an empty batch takes one entry of any
   *     size)
   * @param codec {@link CompressionCodec#NONE} for no compression
   * @param packed whether the replica accepts {@code packed_entries}
   */
  public ResponseBatcher(
      int maxBytes, CompressionCodec codec, boolean packed, Compressor compressor) {
    this.maxBytes = maxBytes;
    this.codec = codec;
    this.packed = packed;
    this.compressor = compressor;
  }

  /** Serialized bytes {@code entry} adds to a response (tag and length included). */
  public static int sizeOf(WALEntry entry) {
    return CodedOutputStream.computeMessageSize(WALStreamResponse.ENTRIES_FIELD_NUMBER, entry);
  }

  @Override
  public boolean add(WALEntry entry) {
    int s = sizeOf(entry);
    if (!entries.isEmpty() && size + s > maxBytes) {
      return false;
    }
    entries.add(entry);
    size += s;
    return true;
  }

  /** Whether an entry of {@code bytes} serialized bytes would still fit. */
  boolean fits(int bytes) {
    return entries.isEmpty() || size + bytes <= maxBytes;
  }

  @Override
  public WALStreamResponse createResponse() {
    WALStreamResponse plain = WALStreamResponse.newBuilder().addAllEntries(entries).build();
    if (codec == CompressionCodec.NONE || entries.isEmpty()) {
      return plain;
    }
    if (packed) {
      byte[] raw = WALEntryBatch.newBuilder().addAllEntries(entries).build().toByteArray();
      byte[] z = compressor.compress(raw, codec);
      if (pays(z.length, raw.length)) {
        return WALStreamResponse.newBuilder()
            .setCompressed(true)
            .setCodec(codec)
            .setPackedEntries(ByteString.copyFrom(z))
            .build();
      }
      return plain;
    }
    long rawBytes = 0;
    long zBytes = 0;
    List<WALEntry> out = new ArrayList<>(entries.size());
    for (WALEntry e : entries) {
      byte[] z = compressor.compress(e.getPayload().toByteArray(), codec);
      rawBytes += e.getPayload().size();
      zBytes += z.length;
      out.add(e.toBuilder().setPayload(ByteString.copyFrom(z)).build());
    }
    if (!pays(zBytes, rawBytes)) {
      return plain;
    }
    return WALStreamResponse.newBuilder()
        .addAllEntries(out)
        .setCompressed(true)
        .setCodec(codec)
        .build();
  }

  private static boolean pays(long compressed, long raw) {
    return compressed * 100 <= raw * (100 - MIN_SAVING_PERCENT);
  }

  @Override
  public int count() {
    return entries.size();
  }

  @Override
  public int size() {
    return size;
  }

  /** The entries added so far (read-only view). */
  public List<WALEntry> entries() {
    return java.util.Collections.unmodifiableList(entries);
  }

  @Override
  public void clear() {
    entries.clear();
    size = 0;
  }
}
