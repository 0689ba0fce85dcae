package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableWriterTest {
  @TempDir Path dir;

  @Test
  void refusesOutOfOrderAndDuplicateAdds() {
    try (TableWriter w = TableWriter.create(dir.resolve("1.sst"), TableOptions.DEFAULT)) {
      w.add("b".getBytes(), 5, false, "x".getBytes());
      assertThatThrownBy(() -> w.add("a".getBytes(), 9, false, "x".getBytes()))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> w.add("b".getBytes(), 5, true, null))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> w.add("b".getBytes(), 6, false, "x".getBytes()))
          .isInstanceOf(IllegalStateException.class);
      w.add("b".getBytes(), 4, true, null);
      w.add(new byte[] {'b', (byte) 0x80}, 9, false, new byte[0]);
      assertThatThrownBy(() -> w.add("b\u0001".getBytes(), 1, false, "x".getBytes()))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> w.add("c".getBytes(), 1L << 56, false, "x".getBytes()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(w.entryCount()).isEqualTo(3);
    }
  }

  @Test
  void abandonAndCloseLeaveNoFiles() throws Exception {
    TableWriter w = TableWriter.create(dir.resolve("2.sst"), TableOptions.DEFAULT);
    w.add("a".getBytes(), 1, false, new byte[5000]);
    assertThat(dir.resolve("2.sst.tmp")).exists();
    w.abandon();
    w.abandon();
    assertThatThrownBy(() -> w.add("b".getBytes(), 1, false, new byte[1]))
        .isInstanceOf(IllegalStateException.class);
    try (TableWriter w2 = TableWriter.create(dir.resolve("3.sst"), TableOptions.DEFAULT)) {
      w2.add("a".getBytes(), 1, false, new byte[1]);
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void finishLeavesOnlyTheFinalFile() throws Exception {
    Path file = dir.resolve("4.sst");
    List<Entry> entries = TestTables.randomEntries(new Random(4), 2000, 5000);
    TableProperties p = TestTables.write(file, TableOptions.DEFAULT, entries);
    TestTables.assertNoTempFiles(dir);
    assertThat(file).exists();
    assertThat(p.fileSize()).isEqualTo(Files.size(file));
  }

  @Test
  void emptyTableCannotBeFinished() throws Exception {
    TableWriter w = TableWriter.create(dir.resolve("5.sst"), TableOptions.DEFAULT);
    assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
    w.abandon();
    TestTables.assertNoTempFiles(dir);
  }

  @Test
  void estimatedFileSizeTracksTheFile() throws Exception {
    Path file = dir.resolve("6.sst");
    long estimate;
    try (TableWriter w = TableWriter.create(file, TableOptions.DEFAULT)) {
      for (int i = 0; i < 20_000; i++) {
        w.add("key%08d".formatted(i).getBytes(), 1, false, new byte[100]);
      }
      estimate = w.estimatedFileSize();
      assertThat(estimate).isGreaterThan(20_000L * 100);
      w.finish();
    }
    long actual = Files.size(file);
    // Meta blocks (index, bloom, properties, footer) are the difference.
    assertThat(actual).isBetween(estimate, estimate + estimate / 10);
  }

  @Test
  void staleTempFileFromACrashIsOverwritten() throws Exception {
    Path file = dir.resolve("7.sst");
    Files.write(dir.resolve("7.sst.tmp"), new byte[100_000]);
    TestTables.write(file, TableOptions.DEFAULT, List.of(Entry.put("a", 1, "b")));
    try (TableReader r = TableReader.open(file, 7, new BlockCache(0), new TableStats())) {
      assertThat(r.get("a".getBytes(), 1).value()).isEqualTo("b".getBytes());
    }
    TestTables.assertNoTempFiles(dir);
  }

  @Test
  void optionsValidate() {
    assertThatThrownBy(() -> TableOptions.builder().blockSize(10).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableOptions.builder().restartInterval(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableOptions.builder().bloomBitsPerKey(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TableOptions.DEFAULT.toBuilder().build()).isEqualTo(TableOptions.DEFAULT);
  }
}
