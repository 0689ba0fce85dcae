package io.kevo.engine.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.Options;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalRecord;
import io.kevo.engine.WalRecoveryMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active segment is filled with zeros ahead of its records: readers and recovery see only the
 * records, a sealed or closed segment holds nothing else, and a log left with the zeros (a crash)
 * opens with every record and nothing counted as torn.
 */
class WalPreallocationTest {
  @TempDir Path dir;

  private static final Options SMALL_SEGMENTS = Options.builder().segmentSize(64 << 10).build();

  @Test
  void theActiveSegmentIsLongerThanItsRecordsWhileReadersSeeOnlyTheRecords() throws Exception {
    Wal wal = open(dir, Options.DEFAULT);
    append(wal, 1, 100);
    wal.sync();

    Segment active = last(wal);
    assertThat(Files.size(active.path()))
        .as("zeros ahead of the records")
        .isGreaterThanOrEqualTo(WalWriter.PREALLOCATE_BYTES)
        .isGreaterThan(active.size());
    try (WalCursor c = wal.readFrom(1)) {
      assertThat(keys(c)).hasSize(100).endsWith("k100");
    }

    wal.close();
    assertThat(Files.size(active.path())).as("cut back at close").isEqualTo(active.size());
    assertThat(recover(dir).tornBytes()).isZero();
  }

  @Test
  void aSealedSegmentHoldsOnlyItsRecordsWhileTheLogIsStillOpen() throws Exception {
    Wal wal = open(dir, SMALL_SEGMENTS);
    append(wal, 1, 2_000); // about 100 KiB of records: at least one rotation
    List<Segment> segments = wal.segments();
    assertThat(segments).hasSizeGreaterThan(1);
    for (Segment s : segments.subList(0, segments.size() - 1)) {
      assertThat(Files.size(s.path())).as(s.path().toString()).isEqualTo(s.size());
    }
    wal.close();
  }

  @Test
  void aLogLeftWithItsZerosOpensWithEveryRecordAndNothingTorn() throws Exception {
    Wal wal = open(dir, SMALL_SEGMENTS);
    append(wal, 1, 1_500);
    wal.sync();
    // What a crash leaves: the files as they are now, zeros included.
    Path copy = dir.resolveSibling(dir.getFileName() + "-crashed");
    copyWal(dir, copy);
    Segment active = last(wal);
    assertThat(Files.size(copy.resolve(active.path().getFileName()))).isGreaterThan(active.size());
    wal.close();

    List<String> replayed = new ArrayList<>();
    WalRecovery.Result r =
        WalRecovery.recover(
            copy, WalRecoveryMode.STOP_ON_CORRUPTION, rec -> replayed.addAll(keys(rec)));

    assertThat(replayed).hasSize(1_500).startsWith("k1").endsWith("k1500");
    assertThat(r.lastSequence()).isEqualTo(1_500);
    assertThat(r.tornBytes()).isZero();
    assertThat(r.discardedBytes()).isZero();
    Segment last = r.segments().get(r.segments().size() - 1);
    assertThat(Files.size(last.path())).as("zeros cut off").isEqualTo(last.size());
  }

  @Test
  void zerosLeftInAnEarlierSegmentAreCutOffToo() throws Exception {
    Wal wal = open(dir, SMALL_SEGMENTS);
    append(wal, 1, 2_000);
    wal.close();
    List<Path> files = segmentFiles(dir);
    assertThat(files).hasSizeGreaterThan(1);
    Path first = files.get(0);
    long records = Files.size(first);
    // A crash between the rotation and the cut of the old segment's zeros.
    try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(300_000), records);
    }

    WalRecovery.Result r = recover(dir);

    assertThat(r.lastSequence()).isEqualTo(2_000);
    assertThat(r.tornBytes()).isZero();
    assertThat(Files.size(first)).isEqualTo(records);
  }

  @Test
  void aZeroedRecordInAnEarlierSegmentIsStillCorruption() throws Exception {
    Wal wal = open(dir, SMALL_SEGMENTS);
    append(wal, 1, 2_000);
    wal.close();
    Path first = segmentFiles(dir).get(0);
    long size = Files.size(first);
    // The last records of a sealed segment zeroed: the next segment no longer follows it.
    try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(200), size - 200);
    }

    assertThatThrownBy(() -> recover(dir)).hasMessageContaining("does not follow");
  }

  private static Wal open(Path dir, Options options) throws IOException {
    Files.createDirectories(dir);
    WalRecovery.Result empty =
        WalRecovery.recover(dir, WalRecoveryMode.STOP_ON_CORRUPTION, r -> {});
    return Wal.open(dir, options, empty);
  }

  private static WalRecovery.Result recover(Path dir) {
    return WalRecovery.recover(dir, WalRecoveryMode.STOP_ON_CORRUPTION, r -> {});
  }

  private static void append(Wal wal, int from, int count) throws IOException {
    for (int i = from; i < from + count; i++) {
      byte[] key = ("k" + i).getBytes();
      wal.append(List.of(PendingWrite.single(key, new byte[32], false)), false);
    }
  }

  private static Segment last(Wal wal) {
    List<Segment> s = wal.segments();
    return s.get(s.size() - 1);
  }

  private static List<String> keys(WalCursor c) {
    List<String> out = new ArrayList<>();
    while (c.hasNext()) {
      out.addAll(keys(c.next()));
    }
    return out;
  }

  private static List<String> keys(WalRecord r) {
    List<String> out = new ArrayList<>();
    r.operations().forEach(op -> out.add(new String(op.key())));
    return out;
  }

  private static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(Segment.SUFFIX)).sorted().toList();
    }
  }

  private static void copyWal(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (Path p : segmentFiles(from)) {
      Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
