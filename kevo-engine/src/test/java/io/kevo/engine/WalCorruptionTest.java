package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.internal.wal.SegmentReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to WAL segments and the documented outcomes (see {@code WalRecovery}): a torn tail is
 * truncated and the database opens with everything before it; damage followed by valid data stops
 * the open with an error naming the segment and offset, or truncates there when asked.
 */
class WalCorruptionTest {
  private static final int RECORDS = 40;

  @TempDir Path dir;

  private static final Options IMMEDIATE = Options.builder().syncMode(SyncMode.IMMEDIATE).build();

  private static byte[] value(int i, int size) {
    byte[] v = new byte[size];
    Arrays.fill(v, (byte) ('a' + i % 26));
    return v;
  }

  /** Writes RECORDS puts (the last of {@code lastSize} bytes); returns the last data segment. */
  private Path writeLog(int lastSize) throws IOException {
    try (KevoDB db = KevoDB.open(dir, IMMEDIATE)) {
      for (int i = 1; i <= RECORDS; i++) {
        db.put(b("key" + i), value(i, i == RECORDS ? lastSize : 50));
      }
    }
    return lastDataSegment();
  }

  private Path lastDataSegment() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      return s.filter(p -> p.toString().endsWith(".wal"))
          .filter(p -> p.toFile().length() > 0)
          .sorted()
          .reduce((a, c) -> c)
          .orElseThrow();
    }
  }

  /** Start offsets of every logical record in a segment. */
  private static List<Long> recordOffsets(Path segment) throws Exception {
    List<Long> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      SegmentReader r = new SegmentReader(ch, 0, ch.size());
      while (true) {
        long at = r.position();
        if (r.next() == null) {
          break;
        }
        out.add(at);
      }
    }
    return out;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  /**
   * Holds the log at open: the flush at open would otherwise delete the recovered segment (its
   * records are then in SSTables) before a test can check how recovery cut it.
   */
  private static final Options IMMEDIATE_HELD = IMMEDIATE.toBuilder().holdWalAtOpen(true).build();

  private void assertOpensWithFirst(int expected, long tornBytes) {
    try (KevoDB db = KevoDB.open(dir, IMMEDIATE_HELD)) {
      assertThat(db.latestSequence()).isEqualTo(expected);
      for (int i = 1; i <= RECORDS; i++) {
        assertThat(db.get(b("key" + i)).isPresent()).as("key%d", i).isEqualTo(i <= expected);
      }
      if (tornBytes >= 0) {
        assertThat(db.stats().walTornBytesTruncated()).isEqualTo(tornBytes);
      }
      assertThat(db.put(b("after"), b("x"))).isEqualTo(expected + 1);
    }
  }

  @Test
  void truncatingTheLastRecordAtEveryOffsetLosesOnlyThatRecord() throws Exception {
    Path seg = writeLog(60);
    Path pristine = dir.resolve("pristine");
    Files.copy(seg, pristine);
    List<Long> offsets = recordOffsets(seg);
    long lastStart = offsets.get(offsets.size() - 1);
    long size = Files.size(pristine);
    for (long cut = lastStart; cut < size; cut++) {
      deleteAllExcept(seg, pristine);
      Files.copy(pristine, seg, StandardCopyOption.REPLACE_EXISTING);
      truncate(seg, cut);
      assertOpensWithFirst(RECORDS - 1, cut - lastStart);
      assertThat(Files.size(seg)).isEqualTo(lastStart);
    }
  }

  @Test
  void truncatingAFragmentedLastRecordAroundEveryFragmentBoundaryLosesOnlyThatRecord()
      throws Exception {
    Path seg = writeLog(3 * 32 * 1024 + 100);
    Path pristine = dir.resolve("pristine");
    Files.copy(seg, pristine);
    List<Long> offsets = recordOffsets(seg);
    long lastStart = offsets.get(offsets.size() - 1);
    long size = Files.size(pristine);
    List<Long> cuts = new ArrayList<>();
    for (int f = 0; f <= 4; f++) {
      long boundary = lastStart + f * (7L + 32 * 1024);
      for (long d = -9; d <= 9; d++) {
        long c = boundary + d;
        if (c >= lastStart && c < size) {
          cuts.add(c);
        }
      }
    }
    for (long c = lastStart; c < size; c += 997) {
      cuts.add(c);
    }
    cuts.add(size - 1);
    for (long cut : cuts) {
      deleteAllExcept(seg, pristine);
      Files.copy(pristine, seg, StandardCopyOption.REPLACE_EXISTING);
      truncate(seg, cut);
      assertOpensWithFirst(RECORDS - 1, cut - lastStart);
    }
  }

  /**
   * Removes what earlier reopen rounds created (segments, and the tables and manifest of their
   * flushes at open) so each round opens one damaged log and nothing else.
   */
  private void deleteAllExcept(Path keep, Path pristine) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (!p.equals(keep) && !p.equals(pristine)) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void aFlippedByteInTheMiddleStopsTheOpenNamingSegmentAndOffsetAndChangesNothing()
      throws Exception {
    Path seg = writeLog(50);
    List<Long> offsets = recordOffsets(seg);
    long victim = offsets.get(RECORDS / 2);
    long flipAt = victim + 20;
    byte[] one = new byte[1];
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
      ch.read(ByteBuffer.wrap(one), flipAt);
    }
    writeAt(seg, flipAt, new byte[] {(byte) (one[0] ^ 0x40)});
    byte[] before = Files.readAllBytes(seg);

    assertThatThrownBy(() -> KevoDB.open(dir, IMMEDIATE))
        .isInstanceOf(KevoException.class)
        .hasMessageContaining(seg.getFileName().toString())
        .hasMessageContaining("offset " + victim)
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CORRUPTION);
    assertThat(Files.readAllBytes(seg)).isEqualTo(before);

    Options truncating =
        IMMEDIATE.toBuilder().walRecoveryMode(WalRecoveryMode.TRUNCATE_ON_CORRUPTION).build();
    try (KevoDB db = KevoDB.open(dir, truncating)) {
      assertThat(db.latestSequence()).isEqualTo(RECORDS / 2);
      assertThat(db.get(b("key" + (RECORDS / 2)))).isPresent();
      assertThat(db.get(b("key" + (RECORDS / 2 + 1)))).isEmpty();
      assertThat(db.stats().walCorruptBytesDiscarded()).isEqualTo(before.length - victim);
    }
  }

  @Test
  void aDamagedLengthFieldInTheMiddleIsCorruptionNotATornTail() throws Exception {
    Path seg = writeLog(50);
    List<Long> offsets = recordOffsets(seg);
    long victim = offsets.get(RECORDS - 3);
    writeAt(seg, victim + 4, new byte[] {(byte) 0xFF, (byte) 0x7F});
    assertThatThrownBy(() -> KevoDB.open(dir, IMMEDIATE))
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CORRUPTION);
  }

  @Test
  void aZeroFilledTailIsTruncatedKeepingWholeRecordsBeforeIt() throws Exception {
    Path seg = writeLog(50);
    List<Long> offsets = recordOffsets(seg);
    long size = Files.size(seg);
    long zeroFrom = offsets.get(RECORDS - 3) + 5;
    writeAt(seg, zeroFrom, new byte[(int) (size - zeroFrom)]);
    assertOpensWithFirst(RECORDS - 3, size - offsets.get(RECORDS - 3));
  }

  @Test
  void zerosAppendedAfterTheLastRecordAreDroppedWithNoRecordLost() throws Exception {
    Path seg = writeLog(50);
    long size = Files.size(seg);
    writeAt(seg, size, new byte[4096]);
    assertOpensWithFirst(RECORDS, 4096);
  }

  @Test
  void aBadChecksumOnTheFinalRecordIsATornTail() throws Exception {
    Path seg = writeLog(50);
    List<Long> offsets = recordOffsets(seg);
    long last = offsets.get(RECORDS - 1);
    writeAt(seg, Files.size(seg) - 1, new byte[] {0x55});
    assertOpensWithFirst(RECORDS - 1, Files.size(seg) - last);
  }

  @Test
  void damageInAnEarlierSegmentIsCorruptionEvenAtItsEnd() throws Exception {
    Options small = IMMEDIATE.toBuilder().segmentSize(64 * 1024).build();
    try (KevoDB db = KevoDB.open(dir, small)) {
      for (int i = 0; i < 300; i++) {
        db.put(b("k" + i), new byte[500]);
      }
    }
    Path first;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      first = s.sorted().findFirst().orElseThrow();
    }
    truncate(first, Files.size(first) - 3);
    assertThatThrownBy(() -> KevoDB.open(dir, small))
        .hasMessageContaining(first.getFileName().toString())
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CORRUPTION);
  }
}
