package io.kevo.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kevo.engine.OpType;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALEntryBatch;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.Compressor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimaryBatcherTest {
  private static WALEntry entry(long seq, int payloadBytes) {
    byte[] p = new byte[payloadBytes];
    return WALEntry.newBuilder()
        .setSequenceNumber(seq)
        .setPayload(ByteString.copyFrom(p))
        .setChecksum(EntryCodec.crc32(p))
        .build();
  }

  @Test
  void staysWithinItsByteBudget() {
    ResponseBatcher b =
        new ResponseBatcher(4096, CompressionCodec.NONE, false, new CodecCompressor());
    int added = 0;
    while (b.add(entry(added + 1, 500))) {
      added++;
    }
    assertThat(added).isEqualTo(b.count()).isBetween(7, 8);
    assertThat(b.size()).isLessThanOrEqualTo(4096);
    assertThat(b.createResponse().getSerializedSize()).isEqualTo(b.size());
    b.clear();
    assertThat(b.count()).isZero();
    assertThat(b.size()).isZero();
  }

  @Test
  void anEmptyBatchTakesOneOversizedEntryAndNothingAfterIt() {
    ResponseBatcher b =
        new ResponseBatcher(1024, CompressionCodec.NONE, false, new CodecCompressor());
    assertThat(b.add(entry(1, 5000))).isTrue();
    assertThat(b.add(entry(2, 1))).isFalse();
    assertThat(b.count()).isEqualTo(1);
    assertThat(b.createResponse().getEntriesCount()).isEqualTo(1);
  }

  @Test
  void compressesOnlyWhenItSavesTenPercentInEitherForm() throws Exception {
    Compressor z = new CodecCompressor();
    ResponseBatcher perEntry = new ResponseBatcher(1 << 20, CompressionCodec.ZSTD, false, z);
    ResponseBatcher packed = new ResponseBatcher(1 << 20, CompressionCodec.ZSTD, true, z);
    for (int i = 1; i <= 10; i++) {
      perEntry.add(entry(i, 1000));
      packed.add(entry(i, 1000));
    }
    WALStreamResponse r = perEntry.createResponse();
    assertThat(r.getCompressed()).isTrue();
    assertThat(r.getCodec()).isEqualTo(CompressionCodec.ZSTD);
    assertThat(z.decompress(r.getEntries(0).getPayload().toByteArray(), CompressionCodec.ZSTD))
        .hasSize(1000);
    assertThat(r.getEntries(0).getChecksum()).isEqualTo(EntryCodec.crc32(new byte[1000]));

    WALStreamResponse p = packed.createResponse();
    assertThat(p.getEntriesList()).isEmpty();
    List<WALEntry> back =
        WALEntryBatch.parseFrom(
                z.decompress(p.getPackedEntries().toByteArray(), CompressionCodec.ZSTD))
            .getEntriesList();
    assertThat(back).hasSize(10);
    assertThat(back.get(9).getSequenceNumber()).isEqualTo(10);

    ResponseBatcher tiny = new ResponseBatcher(1 << 20, CompressionCodec.SNAPPY, false, z);
    tiny.add(entry(1, 3));
    assertThat(tiny.createResponse().getCompressed()).isFalse();
  }

  @Test
  void splitsAnOversizedOperationIntoChecksummedFragmentsThatReassemble() {
    byte[] value = new byte[10_000];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    WalOperation op = new WalOperation(OpType.PUT, 42, "key".getBytes(), value);
    RecordEntries es = new RecordEntries(EncodedRecord.of(new WalRecord(List.of(op), false)), 3000);
    List<WALEntry> out = new ArrayList<>();
    while (es.hasNext()) {
      out.add(es.next());
    }
    assertThat(out)
        .extracting(WALEntry::getFragmentType)
        .containsExactly(
            FragmentType.FIRST, FragmentType.MIDDLE, FragmentType.MIDDLE, FragmentType.LAST);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    for (WALEntry e : out) {
      assertThat(e.getSequenceNumber()).isEqualTo(42);
      assertThat(e.getChecksum()).isEqualTo(EntryCodec.crc32(e.getPayload().toByteArray()));
      assertThat(e.getPayload().size()).isLessThanOrEqualTo(3000);
      whole.writeBytes(e.getPayload().toByteArray());
    }
    assertThat(EntryCodec.decode(whole.toByteArray()).value()).isEqualTo(value);
  }
}
