package io.kevo.replication.wire;

import static io.kevo.replication.wire.ReplicaEntries.batch;
import static io.kevo.replication.wire.ReplicaEntries.corrupt;
import static io.kevo.replication.wire.ReplicaEntries.fragments;
import static io.kevo.replication.wire.ReplicaEntries.full;
import static io.kevo.replication.wire.ReplicaEntries.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.proto.replication.FragmentType;
import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamResponse;
import io.kevo.replication.ReplicationException;
import io.kevo.replication.wire.RecordAssembler.Assembled;
import io.kevo.replication.wire.RecordAssembler.Rejection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssemblerTest {
  private final RecordAssembler assembler = new RecordAssembler(new CodecCompressor(), 1 << 20);

  private List<Object> feed(List<WALEntry> entries) {
    List<Object> out = new ArrayList<>();
    for (WALEntry e : entries) {
      RecordAssembler.Result r = assembler.accept(e);
      if (r instanceof Assembled a) {
        out.add(a.record());
      } else if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<WALEntry> concat(List<List<WALEntry>> parts) {
    List<WALEntry> all = new ArrayList<>();
    parts.forEach(all::addAll);
    return all;
  }

  @Test
  void singleOperationsBecomeSingleRecords() {
    List<Object> out = feed(ReplicaEntries.singles(1, 3));
    assertThat(out).hasSize(3).allSatisfy(r -> assertThat(((WalRecord) r).batch()).isFalse());
    assertThat(((WalRecord) out.get(2)).firstSequence()).isEqualTo(3);
  }

  @Test
  void aBatchIsHandedOutWholeOnlyWhenItsLastOperationArrives() {
    List<WalOperation> ops = new ArrayList<>();
    for (long s = 10; s < 20; s++) {
      ops.add(put(s, "k" + s, "v" + s));
    }
    List<WALEntry> entries = batch(ops);
    assertThat(feed(entries.subList(0, 9))).isEmpty();
    assertThat(assembler.partial()).isTrue();
    List<Object> out = feed(entries.subList(9, 10));
    assertThat(out).hasSize(1);
    WalRecord r = (WalRecord) out.get(0);
    assertThat(r.batch()).isTrue();
    assertThat(r.firstSequence()).isEqualTo(10);
    assertThat(r.lastSequence()).isEqualTo(19);
    assertThat(assembler.partial()).isFalse();
  }

  @Test
  void fragmentsAreJoinedIncludingInsideABatch() {
    WalOperation big = put(5, "big", "x".repeat(10_000));
    List<Object> out = feed(fragments(big, 4, 0, 0));
    assertThat(out).hasSize(1);
    WalOperation back = ((WalRecord) out.get(0)).operations().get(0);
    assertThat(back.value()).isEqualTo(big.value());

    WalOperation a = put(6, "a", "1");
    WalOperation huge = put(7, "huge", "y".repeat(5000));
    List<WALEntry> entries =
        concat(
            List.of(
                batch(List.of(a, huge, put(8, "c", "3"))).subList(0, 1),
                fragments(huge, 3, 6, 3),
                batch(List.of(a, huge, put(8, "c", "3"))).subList(2, 3)));
    out = feed(entries);
    assertThat(out).hasSize(1);
    assertThat(((WalRecord) out.get(0)).operations()).hasSize(3);
  }

  @Test
  void unpacksBothCompressionForms() {
    List<WALEntry> entries = ReplicaEntries.singles(1, 5);
    for (CompressionCodec codec : List.of(CompressionCodec.ZSTD, CompressionCodec.SNAPPY)) {
      for (WALStreamResponse r :
          List.of(
              ReplicaEntries.packed(codec, entries),
              ReplicaEntries.perEntryCompressed(codec, entries))) {
        assertThat(assembler.unpack(r)).as(codec.name()).containsExactlyElementsOf(entries);
      }
    }
    WALStreamResponse garbage =
        WALStreamResponse.newBuilder()
            .setCompressed(true)
            .setCodec(CompressionCodec.ZSTD)
            .setPackedEntries(ByteString.copyFromUtf8("not zstd"))
            .build();
    assertThatThrownBy(() -> assembler.unpack(garbage)).isInstanceOf(ReplicationException.class);
  }

  @Test
  void aCorruptEntryRejectsItsWholeBatchAndTheRestOfItIsSkipped() {
    List<WalOperation> ops = List.of(put(10, "a", "1"), put(11, "b", "2"), put(12, "c", "3"));
    List<WALEntry> entries = new ArrayList<>(batch(ops));
    entries.set(1, corrupt(entries.get(1)));
    entries.add(full(put(13, "d", "4")));
    List<Object> out = feed(entries);
    assertThat(out).hasSize(2);
    Rejection rej = (Rejection) out.get(0);
    assertThat(rej.kind()).isEqualTo(Rejection.Kind.CHECKSUM);
    assertThat(rej.sequence()).isEqualTo(10);
    assertThat(rej.message()).contains("checksum");
    // Entry 12 (the batch's rest) was skipped; 13 starts a record again.
    assertThat(((WalRecord) out.get(1)).firstSequence()).isEqualTo(13);
  }

  @Test
  void outOfOrderFragmentsAndOrphanBatchOperationsAreMalformed() {
    List<WALEntry> frags = fragments(put(3, "k", "v".repeat(100)), 3, 0, 0);
    List<Object> out = feed(List.of(frags.get(1)));
    assertThat(out)
        .singleElement()
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.kind()).isEqualTo(Rejection.Kind.MALFORMED));

    assembler.reset();
    List<WALEntry> b = batch(List.of(put(4, "a", "1"), put(5, "b", "2")));
    out = feed(List.of(b.get(1)));
    assertThat(out)
        .singleElement()
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.message()).contains("without the batch's first"));

    assembler.reset();
    WALEntry wrongSeq =
        ReplicaEntries.entry(9, OperationPayload.encode(put(8, "k", "v")), FragmentType.FULL, 0, 0);
    out = feed(List.of(wrongSeq));
    assertThat(out)
        .singleElement()
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.message()).contains("numbered 8"));
  }

  @Test
  void aBatchBeyondTheMemoryCapIsRejectedClearly() {
    RecordAssembler small = new RecordAssembler(new CodecCompressor(), 1000);
    List<WalOperation> ops = new ArrayList<>();
    for (long s = 1; s <= 20; s++) {
      ops.add(put(s, "k" + s, "v".repeat(100)));
    }
    RecordAssembler.Result last = null;
    for (WALEntry e : batch(ops)) {
      last = small.accept(e);
      if (last != null) {
        break;
      }
    }
    assertThat(last)
        .isInstanceOfSatisfying(
            Rejection.class,
            r -> {
              assertThat(r.kind()).isEqualTo(Rejection.Kind.TOO_LARGE);
              assertThat(r.sequence()).isEqualTo(1);
              assertThat(r.message()).contains("limit of 1000 bytes");
            });
    assertThat(small.partial()).isFalse();
  }
}
