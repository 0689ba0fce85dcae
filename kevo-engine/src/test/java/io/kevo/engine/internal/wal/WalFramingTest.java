package io.kevo.engine.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.OpType;
import io.kevo.engine.OperationPayload;
import io.kevo.engine.Options;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalRecoveryMode;
import io.kevo.engine.WriteBatch;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalFramingTest {
  @TempDir Path dir;

  /** Value sizes whose single-put logical record lands on and around every fragment boundary. */
  static List<Integer> boundaryValueSizes() {
    int overhead = WalCodec.OP_HEADER + 1 + 4; // op header, 1-byte key, value length
    List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2));
    for (int fragments = 1; fragments <= 4; fragments++) {
      int boundary = fragments * RecordFormat.MAX_DATA - overhead;
      IntStream.rangeClosed(-3, 3).forEach(d -> sizes.add(boundary + d));
    }
    return sizes;
  }

  private static List<WalRecord> writeAndRead(Path dir, List<PendingWrite> writes)
      throws Exception {
    Files.createDirectories(dir);
    WalRecovery.Result empty =
        WalRecovery.recover(dir, WalRecoveryMode.STOP_ON_CORRUPTION, r -> {});
    Wal wal = Wal.open(dir, Options.DEFAULT, empty);
    for (PendingWrite w : writes) {
      wal.append(List.of(w), false);
    }
    Segment seg = wal.segments().get(wal.segments().size() - 1);
    long expected = 0;
    for (PendingWrite w : writes) {
      expected += w.framedSize();
    }
    assertThat(seg.size()).isEqualTo(expected);
    wal.close();
    List<WalRecord> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(seg.path(), StandardOpenOption.READ)) {
      SegmentReader r = new SegmentReader(ch, 0, ch.size());
      byte[] data;
      while ((data = r.next()) != null) {
        out.add(WalCodec.decode(data));
      }
    }
    return out;
  }

  @Test
  void singleOperationsRoundTripAtEveryFragmentBoundary() throws Exception {
    List<Integer> sizes = boundaryValueSizes();
    List<PendingWrite> writes = new ArrayList<>();
    Random rnd = new Random(1);
    List<byte[]> values = new ArrayList<>();
    for (int size : sizes) {
      byte[] v = new byte[size];
      rnd.nextBytes(v);
      values.add(v);
      writes.add(PendingWrite.single(new byte[] {'k'}, v, false));
    }
    List<WalRecord> read = writeAndRead(dir, writes);
    assertThat(read).hasSize(sizes.size());
    for (int i = 0; i < sizes.size(); i++) {
      WalOperation op = read.get(i).operations().get(0);
      assertThat(op.sequence()).isEqualTo(i + 1);
      assertThat(op.type()).isEqualTo(OpType.PUT);
      assertThat(op.value()).as("value of %d bytes", sizes.get(i)).isEqualTo(values.get(i));
      int dataSize = WalCodec.OP_HEADER + 1 + 4 + sizes.get(i);
      assertThat(RecordFormat.framedSize(dataSize))
          .isEqualTo(dataSize + RecordFormat.HEADER_SIZE * ((dataSize + 32767) / 32768));
    }
  }

  @Property(tries = 40)
  void batchesOfRandomSizesRoundTripAsOneRecord(
      @ForAll @IntRange(min = 1, max = 40) int count,
      @ForAll @IntRange(min = 0, max = 70_000) int maxValue,
      @ForAll long seed)
      throws Exception {
    Path d = Files.createTempDirectory("kevo-framing");
    try {
      Random rnd = new Random(seed);
      WriteBatch batch = new WriteBatch();
      for (int i = 0; i < count; i++) {
        byte[] key = new byte[1 + rnd.nextInt(20)];
        rnd.nextBytes(key);
        if (rnd.nextInt(4) == 0) {
          batch.delete(key);
        } else {
          byte[] v = new byte[maxValue == 0 ? 0 : rnd.nextInt(maxValue + 1)];
          rnd.nextBytes(v);
          batch.put(key, v);
        }
      }
      List<WalRecord> read =
          writeAndRead(
              d,
              List.of(
                  PendingWrite.single(new byte[] {1}, new byte[0], false),
                  PendingWrite.batch(batch.ops(), false),
                  PendingWrite.single(new byte[] {2}, null, false)));
      assertThat(read).hasSize(3);
      WalRecord rec = read.get(1);
      assertThat(rec.batch()).isTrue();
      assertThat(rec.firstSequence()).isEqualTo(2);
      assertThat(rec.operations()).hasSize(count);
      for (int i = 0; i < count; i++) {
        WriteBatch.Op expected = batch.ops().get(i);
        WalOperation got = rec.operations().get(i);
        assertThat(got.type()).isEqualTo(expected.type());
        assertThat(got.key()).isEqualTo(expected.key());
        assertThat(got.value()).isEqualTo(expected.value());
      }
      assertThat(read.get(2).operations().get(0).type()).isEqualTo(OpType.DELETE);
      assertThat(read.get(2).firstSequence()).isEqualTo(2 + count);
    } finally {
      try (var s = Files.walk(d)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void codecRejectsMalformedRecordsInsteadOfGuessing() {
    byte[] good =
        OperationPayload.encode(new WalOperation(OpType.PUT, 5, new byte[] {1, 2}, new byte[] {3}));
    assertThat(WalCodec.decodeOperation(good).sequence()).isEqualTo(5);
    for (int cut = 0; cut < good.length; cut++) {
      byte[] shorter = java.util.Arrays.copyOf(good, cut);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> WalCodec.decode(shorter))
          .isInstanceOf(WalFormatException.class);
    }
    byte[] badOp = good.clone();
    badOp[0] = 9;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WalCodec.decode(badOp))
        .hasMessageContaining("unknown operation type 9");
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WalCodec.decode(trailing))
        .hasMessageContaining("trailing");
  }

  @Test
  void anErrorInTheMiddleOfAnAppendLeavesNoGapInTheNumbering() throws Exception {
    // Regression: an OutOfMemoryError while a group was framed (a primary with a small heap and a
    // 10 MiB batch) left the sequence counter past the group, so the next group was written after
    // a gap and the log could not be read past it, nor the node reopened.
    Files.createDirectories(dir);
    WalRecovery.Result empty =
        WalRecovery.recover(dir, WalRecoveryMode.STOP_ON_CORRUPTION, r -> {});
    OutOfMemoryError injected = new OutOfMemoryError("Java heap space (injected)");
    io.kevo.engine.internal.io.FaultyFiles files = new io.kevo.engine.internal.io.FaultyFiles();
    Wal wal = Wal.open(dir, Options.DEFAULT, empty, 0, files);
    wal.append(List.of(PendingWrite.single(new byte[] {'a'}, new byte[] {1}, false)), false);
    long next = wal.nextSequence();
    files.throwOnWrites(p -> true, injected);
    PendingWrite lost = PendingWrite.single(new byte[] {'b'}, new byte[] {2}, false);
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(() -> wal.append(List.of(lost), false)))
        .isSameAs(injected);
    assertThat(wal.nextSequence()).as("the failed group's numbers given back").isEqualTo(next);
    assertThat(wal.damaged()).as("no append before repair").isTrue();
    files.free();
    wal.repair();
    wal.append(List.of(PendingWrite.single(new byte[] {'c'}, new byte[] {3}, false)), false);
    wal.close();

    WalRecovery.Result again =
        WalRecovery.recover(dir, WalRecoveryMode.STOP_ON_CORRUPTION, r -> {});
    assertThat(again.lastSequence()).isEqualTo(next);
  }
}
