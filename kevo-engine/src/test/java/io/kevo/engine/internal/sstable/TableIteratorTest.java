package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.Compression;
import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random walks of seek, seekForPrev, next and prev (switching direction freely) compared step by
 * step with a position in the sorted model list.
 */
class TableIteratorTest {
  @TempDir Path dir;

  @Property(tries = 60)
  void randomWalksMatchTheSortedModel(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 1500) int keys) {
    Path tmp = TestTables.tempDir();
    try {
      Random rnd = new Random(seed);
      List<Entry> model = TestTables.randomEntries(rnd, keys, 2000);
      TableOptions options =
          TableOptions.builder()
              .blockSize(256 + rnd.nextInt(2048))
              .restartInterval(1 + rnd.nextInt(20))
              .compression(Compression.values()[rnd.nextInt(Compression.values().length)])
              .build();
      Path file = tmp.resolve("000001.sst");
      TestTables.write(file, options, model);
      try (TableReader r = TableReader.open(file, 1, new BlockCache(64 << 10), new TableStats());
          InternalIterator it = r.newIterator()) {
        walk(it, model, rnd, 400);
      }
    } finally {
      TestTables.deleteTree(tmp);
    }
  }

  @Test
  void directionSwitchesAtBlockEdges() {
    Random rnd = new Random(42);
    List<Entry> model = TestTables.randomEntries(rnd, 400, 600);
    Path file = dir.resolve("000002.sst");
    TestTables.write(file, TableOptions.builder().blockSize(256).restartInterval(2).build(), model);
    try (TableReader r = TableReader.open(file, 2, new BlockCache(0), new TableStats());
        InternalIterator it = r.newIterator()) {
      for (int start = 0; start < model.size(); start++) {
        Entry e = model.get(start);
        it.seek(e.userKey(), e.sequence());
        assertThat(TestTables.current(it)).isEqualTo(e);
        if (start > 0) {
          it.prev();
          assertThat(TestTables.current(it)).isEqualTo(model.get(start - 1));
          it.next();
        }
        if (start + 1 < model.size()) {
          it.next();
          assertThat(TestTables.current(it)).isEqualTo(model.get(start + 1));
          it.prev();
          assertThat(TestTables.current(it)).isEqualTo(e);
        }
      }
      it.seekToFirst();
      it.prev();
      assertThat(it.valid()).isFalse();
      it.seekToLast();
      it.next();
      assertThat(it.valid()).isFalse();
    }
  }

  static void walk(InternalIterator it, List<Entry> model, Random rnd, int steps) {
    int pos = -1; // model index, or -1 / size when invalid
    for (int step = 0; step < steps; step++) {
      int op = rnd.nextInt(10);
      boolean valid = pos >= 0 && pos < model.size();
      if (op < 3 && valid) {
        it.next();
        pos++;
      } else if (op < 6 && valid) {
        it.prev();
        pos--;
      } else if (op == 6) {
        byte[] key = target(rnd, model);
        long seq = sequence(rnd);
        it.seek(key, seq);
        pos = BlockTest.firstAtOrAfter(model, key, seq);
      } else if (op == 7) {
        byte[] key = target(rnd, model);
        long seq = sequence(rnd);
        it.seekForPrev(key, seq);
        pos = lastAtOrBefore(model, key, seq);
      } else if (op == 8) {
        it.seekToFirst();
        pos = 0;
      } else {
        it.seekToLast();
        pos = model.size() - 1;
      }
      boolean expectValid = pos >= 0 && pos < model.size();
      assertThat(it.valid()).as("step %d", step).isEqualTo(expectValid);
      if (expectValid) {
        assertThat(TestTables.current(it)).as("step %d", step).isEqualTo(model.get(pos));
      }
    }
  }

  private static byte[] target(Random rnd, List<Entry> model) {
    return rnd.nextBoolean()
        ? model.get(rnd.nextInt(model.size())).userKey()
        : TestTables.randomKey(rnd);
  }

  private static long sequence(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> InternalOrder.MAX_SEQUENCE;
      case 1 -> 0;
      default -> rnd.nextInt(900_000);
    };
  }

  static int lastAtOrBefore(List<Entry> model, byte[] key, long seq) {
    for (int i = model.size() - 1; i >= 0; i--) {
      Entry e = model.get(i);
      if (InternalOrder.compare(e.userKey(), e.sequence(), key, seq) <= 0) {
        return i;
      }
    }
    return -1;
  }
}
