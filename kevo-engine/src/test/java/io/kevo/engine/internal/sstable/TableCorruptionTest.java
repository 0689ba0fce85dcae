package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kevo.engine.Compression;
import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.iter.InternalIterator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damage anywhere in a table must surface as CORRUPTION naming the file — at open for the footer
 * and meta blocks, at the first read of a damaged data block — and never as a wrong answer or an
 * unchecked exception of another kind.
 */
class TableCorruptionTest {
  @TempDir Path dir;

  private static List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      out.add(Entry.put("key-%04d".formatted(i), 1000 - i, "value-" + i + "-".repeat(i % 13)));
    }
    return out;
  }

  private Path write(Compression c) {
    Path file = dir.resolve("000042.sst");
    TableOptions o = TableOptions.builder().blockSize(512).compression(c).build();
    TestTables.write(file, o, entries());
    return file;
  }

  private static Footer footer(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    return Footer.decode(Arrays.copyOfRange(all, all.length - 64, all.length), all.length);
  }

  private static void flip(Path file, long pos) throws IOException {
    byte[] all = Files.readAllBytes(file);
    all[(int) pos] ^= 0x04;
    Files.write(file, all);
  }

  private static void assertCorruption(Throwable t, Path file) {
    assertThat(t).isInstanceOf(KevoException.class);
    assertThat(((KevoException) t).code()).as(t.getMessage()).isEqualTo(ErrorCode.CORRUPTION);
    assertThat(t.getMessage()).contains(file.toString()).contains("offset");
  }

  private static TableReader open(Path file) {
    return TableReader.open(file, 42, new BlockCache(1 << 20), new TableStats());
  }

  /** Opens, scans and gets everything; must fail with CORRUPTION or return exactly the model. */
  private static void readEverythingOrFail(Path file) {
    Throwable t =
        catchThrowable(
            () -> {
              try (TableReader r = open(file);
                  InternalIterator it = r.newIterator()) {
                assertThat(TestTables.readAll(it)).containsExactlyElementsOf(entries());
                for (Entry e : entries()) {
                  assertThat(r.get(e.userKey(), e.sequence()).value()).isEqualTo(e.value());
                }
              }
            });
    assertCorruption(t, file);
  }

  @ParameterizedTest
  @EnumSource(
      value = Compression.class,
      names = {"NONE", "SNAPPY"})
  void everySingleByteFlipIsDetected(Compression c) throws IOException {
    Path file = write(c);
    byte[] good = Files.readAllBytes(file);
    for (int pos = 0; pos < good.length; pos++) {
      Files.write(file, good);
      flip(file, pos);
      readEverythingOrFail(file);
    }
  }

  @Test
  void flippedDataBlockFailsTheReadThatTouchesIt() throws IOException {
    Path file = write(Compression.NONE);
    flip(file, 10);
    try (TableReader r = open(file)) {
      assertCorruption(catchThrowable(() -> r.get("key-0000".getBytes(), 1000)), file);
      assertThat(catchThrowable(() -> r.get("key-0000".getBytes(), 1000)).getMessage())
          .contains("offset 0");
      // Blocks elsewhere in the file are still readable.
      assertThat(r.get("key-0059".getBytes(), 1000).value()).isEqualTo(entries().get(59).value());
    }
  }

  @Test
  void flippedIndexBloomPropertiesOrFooterFailsAtOpen() throws IOException {
    Path file = write(Compression.NONE);
    byte[] good = Files.readAllBytes(file);
    Footer f = footer(file);
    long[] targets = {
      f.index().offset() + 3,
      f.bloom().offset() + 1,
      f.properties().offset() + 9,
      good.length - 64 + 2,
      good.length - 64 + 50,
      good.length - 1
    };
    for (long pos : targets) {
      Files.write(file, good);
      flip(file, pos);
      assertCorruption(catchThrowable(() -> open(file)), file);
    }
  }

  @Test
  void truncatedFileFailsAtOpen() throws IOException {
    Path file = write(Compression.NONE);
    byte[] good = Files.readAllBytes(file);
    for (int len : new int[] {0, 10, 63, 64, good.length / 2, good.length - 64, good.length - 1}) {
      Files.write(file, Arrays.copyOf(good, len));
      assertCorruption(catchThrowable(() -> open(file)), file);
    }
  }

  @Test
  void fileTruncatedAfterOpenFailsOnRead() throws IOException {
    Path file = write(Compression.NONE);
    try (TableReader r = TableReader.open(file, 1, new BlockCache(0), new TableStats())) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(100);
      }
      assertCorruption(catchThrowable(() -> r.get("key-0050".getBytes(), 1000)), file);
    }
  }

  @Test
  void missingFileIsAnIoError() {
    assertThatThrownBy(() -> open(dir.resolve("nope.sst")))
        .isInstanceOf(KevoException.class)
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.IO_ERROR);
  }

  @Test
  void readsAfterCloseFailCleanly() {
    Path file = write(Compression.NONE);
    TableReader r = TableReader.open(file, 1, new BlockCache(0), new TableStats());
    r.close();
    r.close();
    assertThatThrownBy(() -> r.get("key-0001".getBytes(), 1000))
        .isInstanceOf(KevoException.class)
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CLOSED);
  }
}
