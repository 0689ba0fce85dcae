package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.iter.InternalOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableGetTest {
  @TempDir Path dir;

  private TableReader table(List<Entry> entries, TableOptions options, TableStats stats) {
    Path file = dir.resolve("000007.sst");
    TestTables.write(file, options, entries);
    return TableReader.open(file, 7, new BlockCache(1 << 20), stats);
  }

  @Test
  void readSequenceSelectsTheNewestVisibleVersion() {
    List<Entry> entries =
        List.of(
            Entry.put("apple", 30, "v30"),
            Entry.delete("apple", 20),
            Entry.put("apple", 10, "v10"),
            Entry.put("banana", 15, ""));
    try (TableReader r = table(entries, TableOptions.DEFAULT, new TableStats())) {
      assertThat(r.get("apple".getBytes(), InternalOrder.MAX_SEQUENCE).value())
          .isEqualTo("v30".getBytes());
      assertThat(r.get("apple".getBytes(), 30).sequence()).isEqualTo(30);
      assertThat(r.get("apple".getBytes(), 29).status()).isEqualTo(TableGet.Status.DELETED);
      assertThat(r.get("apple".getBytes(), 20).sequence()).isEqualTo(20);
      assertThat(r.get("apple".getBytes(), 19).value()).isEqualTo("v10".getBytes());
      assertThat(r.get("apple".getBytes(), 10).status()).isEqualTo(TableGet.Status.FOUND);
      assertThat(r.get("apple".getBytes(), 9)).isSameAs(TableGet.ABSENT);
      assertThat(r.get("banana".getBytes(), 100).value()).isEmpty();
      assertThat(r.get("banana".getBytes(), 14).status()).isEqualTo(TableGet.Status.ABSENT);
      assertThat(r.get("cherry".getBytes(), 100).status()).isEqualTo(TableGet.Status.ABSENT);
      assertThat(r.get("".getBytes(), 100).status()).isEqualTo(TableGet.Status.ABSENT);
    }
  }

  @Test
  void versionsSpanningBlockBoundariesAreFound() {
    List<Entry> entries = new ArrayList<>();
    for (int seq = 500; seq >= 1; seq--) {
      entries.add(Entry.put("hot", seq, "value-" + seq));
    }
    TableOptions tiny = TableOptions.builder().blockSize(256).restartInterval(3).build();
    try (TableReader r = table(entries, tiny, new TableStats())) {
      assertThat(r.properties().dataBlockCount()).isGreaterThan(20);
      for (int seq = 1; seq <= 520; seq++) {
        TableGet g = r.get("hot".getBytes(), seq);
        assertThat(g.sequence()).isEqualTo(Math.min(seq, 500));
        assertThat(g.value()).isEqualTo(("value-" + Math.min(seq, 500)).getBytes());
      }
      assertThat(r.get("hot".getBytes(), 0).status()).isEqualTo(TableGet.Status.ABSENT);
    }
  }

  @Test
  void bloomCountersSeparateUsefulChecksFromFalsePositives() {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      entries.add(Entry.put("key%06d".formatted(i * 2), 100 + i, "v"));
    }
    TableStats stats = new TableStats();
    try (TableReader r = table(entries, TableOptions.DEFAULT, stats)) {
      for (int i = 0; i < 5000; i++) {
        assertThat(r.get("key%06d".formatted(i * 2 + 1).getBytes(), 1 << 20).status())
            .isEqualTo(TableGet.Status.ABSENT);
      }
      assertThat(stats.bloomChecks()).isEqualTo(5000);
      assertThat(stats.bloomUseful() + stats.bloomFalsePositives()).isEqualTo(5000);
      assertThat(stats.bloomFalsePositives()).isBetween(1L, 100L);

      // A key present only in versions newer than the read is not a false positive.
      long before = stats.bloomFalsePositives();
      assertThat(r.get("key000000".getBytes(), 50).status()).isEqualTo(TableGet.Status.ABSENT);
      assertThat(stats.bloomFalsePositives()).isEqualTo(before);
      assertThat(stats.bloomChecks()).isEqualTo(5001);
      assertThat(stats.cacheHits() + stats.cacheMisses()).isPositive();
    }
  }

  @Test
  void interruptedReadDoesNotBreakTheTableForLaterReads() {
    try (TableReader r =
        TestTables.open(dir, List.of(Entry.put("a", 1, "x")), TableOptions.DEFAULT)) {
      Thread.currentThread().interrupt();
      KevoException e = catchThrowableOfType(KevoException.class, () -> r.get("a".getBytes(), 1));
      assertThat(Thread.interrupted()).isTrue();
      assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
      // The JDK closed the shared channel; the reader reopened it.
      assertThat(r.get("a".getBytes(), 1).value()).isEqualTo("x".getBytes());
    }
  }

  @Test
  void tableWithoutBloomFilterStillAnswers() {
    TableStats stats = new TableStats();
    TableOptions noBloom = TableOptions.builder().bloomBitsPerKey(0).build();
    try (TableReader r = table(List.of(Entry.put("a", 1, "x")), noBloom, stats)) {
      assertThat(r.get("a".getBytes(), 1).value()).isEqualTo("x".getBytes());
      assertThat(r.get("b".getBytes(), 1).status()).isEqualTo(TableGet.Status.ABSENT);
      assertThat(stats.bloomChecks()).isZero();
    }
  }
}
