package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.Compression;
import io.kevo.engine.internal.iter.InternalIterator;
import io.kevo.engine.internal.iter.InternalOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TableRoundTripTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Compression.class)
  void randomEntriesReadBackExactlyWithEveryCompression(Compression compression) {
    for (long seed = 1; seed <= 6; seed++) {
      Random rnd = new Random(seed * 7919 + compression.ordinal());
      TableOptions options =
          TableOptions.builder()
              .compression(compression)
              .blockSize(256 + rnd.nextInt(8192))
              .restartInterval(1 + rnd.nextInt(32))
              .bloomBitsPerKey(rnd.nextInt(3) == 0 ? 0 : 10)
              .build();
      List<Entry> entries = TestTables.randomEntries(rnd, 1 + rnd.nextInt(3000), 10_000);
      Path file = dir.resolve(seed + "-" + compression + ".sst");
      TableProperties written = TestTables.write(file, options, entries);
      BlockCache cache = new BlockCache(rnd.nextBoolean() ? 0 : 1 << 20);
      try (TableReader r = TableReader.open(file, seed, cache, new TableStats())) {
        assertThat(r.properties()).as("seed %d", seed).isEqualTo(written);
        checkProperties(r.properties(), entries, compression);
        try (InternalIterator it = r.newIterator()) {
          assertThat(TestTables.readAll(it)).as("seed %d", seed).containsExactlyElementsOf(entries);
          List<Entry> back = TestTables.readAllBackwards(it);
          Collections.reverse(back);
          assertThat(back).containsExactlyElementsOf(entries);
        }
        checkGets(r, entries, rnd);
      }
    }
  }

  @Test
  void compressibleDataIsStoredCompressedAndRandomDataIsNot() {
    List<Entry> text = new ArrayList<>();
    List<Entry> noise = new ArrayList<>();
    Random rnd = new Random(3);
    for (int i = 0; i < 2000; i++) {
      byte[] v = new byte[100];
      rnd.nextBytes(v);
      noise.add(new Entry("k%06d".formatted(i).getBytes(), 1, false, v));
      text.add(Entry.put("k%06d".formatted(i), 1, "the quick brown fox ".repeat(5)));
    }
    for (Compression c : List.of(Compression.SNAPPY, Compression.LZ4, Compression.ZSTD)) {
      TableOptions o = TableOptions.builder().compression(c).build();
      TableProperties plainText =
          TestTables.write(dir.resolve("p.sst"), TableOptions.DEFAULT, text);
      TableProperties packedText = TestTables.write(dir.resolve(c + "t.sst"), o, text);
      TableProperties plainNoise =
          TestTables.write(dir.resolve("n.sst"), TableOptions.DEFAULT, noise);
      TableProperties packedNoise = TestTables.write(dir.resolve(c + "n.sst"), o, noise);
      assertThat(packedText.dataSize()).as("%s", c).isLessThan(plainText.dataSize() / 3);
      // Random values barely compress: blocks stay plain, so sizes match exactly.
      assertThat(packedNoise.dataSize()).as("%s", c).isEqualTo(plainNoise.dataSize());
    }
  }

  static void checkProperties(TableProperties p, List<Entry> entries, Compression c) {
    assertThat(p.entryCount()).isEqualTo(entries.size());
    assertThat(p.tombstoneCount()).isEqualTo(entries.stream().filter(Entry::tombstone).count());
    Entry first = entries.get(0);
    Entry last = entries.get(entries.size() - 1);
    assertThat(p.smallestUserKey()).isEqualTo(first.userKey());
    assertThat(p.smallestSequence()).isEqualTo(first.sequence());
    assertThat(p.largestUserKey()).isEqualTo(last.userKey());
    assertThat(p.largestSequence()).isEqualTo(last.sequence());
    assertThat(p.minSequence())
        .isEqualTo(entries.stream().mapToLong(Entry::sequence).min().orElseThrow());
    assertThat(p.maxSequence())
        .isEqualTo(entries.stream().mapToLong(Entry::sequence).max().orElseThrow());
    assertThat(p.rawKeyBytes())
        .isEqualTo(entries.stream().mapToLong(e -> e.userKey().length).sum());
    assertThat(p.rawValueBytes())
        .isEqualTo(entries.stream().mapToLong(e -> e.tombstone() ? 0 : e.value().length).sum());
    assertThat(p.compression()).isEqualTo(c);
    assertThat(p.formatVersion()).isEqualTo(TableFormat.FORMAT_VERSION);
  }

  /** Gets at random read sequences, for present and absent keys, against the sorted model. */
  static void checkGets(TableReader r, List<Entry> entries, Random rnd) {
    for (int i = 0; i < 300; i++) {
      byte[] key =
          rnd.nextInt(4) == 0
              ? TestTables.randomKey(rnd)
              : entries.get(rnd.nextInt(entries.size())).userKey();
      long readSeq = rnd.nextInt(5) == 0 ? InternalOrder.MAX_SEQUENCE : rnd.nextInt(900_000);
      Entry expected = null;
      for (Entry e : entries) {
        if (java.util.Arrays.equals(e.userKey(), key) && e.sequence() <= readSeq) {
          expected = e;
          break;
        }
      }
      TableGet got = r.get(key, readSeq);
      if (expected == null) {
        assertThat(got.status()).isEqualTo(TableGet.Status.ABSENT);
      } else if (expected.tombstone()) {
        assertThat(got.status()).isEqualTo(TableGet.Status.DELETED);
        assertThat(got.sequence()).isEqualTo(expected.sequence());
      } else {
        assertThat(got.status()).isEqualTo(TableGet.Status.FOUND);
        assertThat(got.sequence()).isEqualTo(expected.sequence());
        assertThat(got.value()).isEqualTo(expected.value());
      }
    }
  }
}
