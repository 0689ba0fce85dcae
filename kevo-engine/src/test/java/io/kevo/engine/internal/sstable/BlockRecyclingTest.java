package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.Compression;
import io.kevo.engine.internal.iter.InternalIterator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrays of evicted blocks are reused for the next misses: no reader may see a block's bytes change
 * under it, and the reuse must actually happen.
 */
class BlockRecyclingTest {
  private static final int KEYS = 20_000;

  @TempDir Path dir;

  private static byte[] key(int i) {
    return "k%06d".formatted(i).getBytes(StandardCharsets.US_ASCII);
  }

  /** A value only this key has, so bytes of another block read in its place show. */
  private static byte[] value(int i) {
    return ("value-%06d-".formatted(i) + Integer.toHexString(i * 0x9E3779B1)).repeat(3).getBytes();
  }

  private Path table(String name, TableOptions options) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      entries.add(new Entry(key(i), 1, false, value(i)));
    }
    Path file = dir.resolve(name);
    TestTables.write(file, options, entries);
    return file;
  }

  @Test
  void arraysComeInSizeClassesAndAtMostTheSpareWaits() {
    BlockArrays arrays = new BlockArrays(3 * 4224);
    assertThat(BlockArrays.classSize(4200)).isEqualTo(4224);
    assertThat(BlockArrays.classSize(4096)).isEqualTo(4096);
    assertThat(BlockArrays.classSize(100)).isEqualTo(100); // small: exact, never kept
    List<byte[]> taken = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      taken.add(arrays.take(4200));
    }
    assertThat(taken).allSatisfy(a -> assertThat(a).hasSize(4224));
    taken.forEach(arrays::recycle);
    arrays.recycle(new byte[4200]); // not one of its sizes: ignored
    assertThat(arrays.pooledBytes()).isEqualTo(3 * 4224);
    assertThat(arrays.take(4500)).hasSize(4608); // another class: a new array
    assertThat(arrays.take(4224)).isIn(taken.toArray());
    assertThat(arrays.take(4097)).isIn(taken.toArray());
    assertThat(arrays.reused()).isEqualTo(2);
    assertThat(arrays.created()).isEqualTo(6);
  }

  @Test
  void missesReuseTheArraysOfEvictedBlocks() {
    BlockCache cache = new BlockCache(64 << 10);
    TableStats stats = new TableStats();
    try (TableReader r = TableReader.open(table("1.sst", TableOptions.DEFAULT), 1, cache, stats)) {
      SplittableRandom random = new SplittableRandom(1);
      for (int n = 0; n < 20_000; n++) {
        int i = random.nextInt(KEYS);
        assertThat(r.get(key(i), 1).value()).isEqualTo(value(i));
      }
      assertThat(stats.cacheMisses()).isGreaterThan(10_000);
      // The cache holds about 7 blocks (half of 64 KiB is kept spare); almost every miss ran on an
      // array given back.
      assertThat(cache.arrays().created()).isLessThan(100);
      assertThat(cache.arrays().reused()).isGreaterThan(stats.cacheMisses() - 100);
    }
  }

  @Test
  void anIteratorKeepsItsBlockWhileTheCacheReusesArrays() {
    BlockCache cache = new BlockCache(32 << 10);
    try (TableReader r =
            TableReader.open(table("2.sst", TableOptions.DEFAULT), 2, cache, new TableStats());
        InternalIterator it = r.newIterator()) {
      it.seekToFirst();
      assertThat(it.userKey()).isEqualTo(key(0));
      // Every block passes through the small cache, the iterator's first one long evicted.
      for (int i = KEYS - 1; i > 0; i -= 7) {
        assertThat(r.get(key(i), 1).value()).isEqualTo(value(i));
      }
      for (int i = 0; i < KEYS; i++, it.next()) {
        assertThat(it.valid()).isTrue();
        assertThat(it.userKey()).isEqualTo(key(i));
        assertThat(it.value()).isEqualTo(value(i));
      }
      assertThat(it.valid()).isFalse();
    }
  }

  @Test
  void concurrentReadersSeeTheirOwnBlocksThroughConstantEviction() throws Exception {
    for (TableOptions options :
        List.of(
            TableOptions.DEFAULT,
            TableOptions.DEFAULT.toBuilder().compression(Compression.SNAPPY).build())) {
      BlockCache cache = new BlockCache(256 << 10);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try (TableReader r =
          TableReader.open(
              table("3-" + options.compression() + ".sst", options), 3, cache, new TableStats())) {
        List<Future<Integer>> checked = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          long seed = t;
          checked.add(pool.submit(() -> readAndCheck(r, seed)));
        }
        for (Future<Integer> f : checked) {
          assertThat(f.get()).isEqualTo(3_000 + 300 * 20);
        }
        // Gives the check above its teeth: arrays did change blocks under the readers' feet.
        assertThat(cache.arrays().reused()).isGreaterThan(5_000);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Random gets and short scans, each result compared with the key's own value. */
  private static int readAndCheck(TableReader r, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int checked = 0;
    for (int n = 0; n < 3_000; n++) {
      int i = random.nextInt(KEYS);
      assertThat(r.get(key(i), 1).value()).isEqualTo(value(i));
      checked++;
    }
    for (int n = 0; n < 300; n++) {
      int start = random.nextInt(KEYS - 20);
      try (InternalIterator it = r.newIterator()) {
        it.seek(key(start), 1);
        for (int i = start; i < start + 20; i++, it.next()) {
          assertThat(it.userKey()).isEqualTo(key(i));
          assertThat(it.value()).isEqualTo(value(i));
          checked++;
        }
      }
    }
    return checked;
  }
}
