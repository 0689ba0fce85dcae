package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.internal.iter.InternalIterator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCacheTest {
  @TempDir Path dir;

  private Path table(String name, int n) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      entries.add(Entry.put("k%06d".formatted(i), 1, "v".repeat(50)));
    }
    Path file = dir.resolve(name);
    TestTables.write(file, TableOptions.DEFAULT, entries);
    return file;
  }

  @Test
  void secondReadOfABlockIsAHit() {
    Path file = table("1.sst", 1000);
    TableStats stats = new TableStats();
    try (TableReader r = TableReader.open(file, 1, new BlockCache(1 << 20), stats)) {
      r.get("k000500".getBytes(), 1);
      long blocks = stats.blocksRead();
      r.get("k000500".getBytes(), 1);
      assertThat(stats.cacheMisses()).isEqualTo(1);
      assertThat(stats.cacheHits()).isEqualTo(1);
      assertThat(stats.blocksRead()).isEqualTo(blocks);
      assertThat(stats.bytesRead()).isPositive();
    }
  }

  @Test
  void zeroCapacityCachesNothing() {
    Path file = table("2.sst", 1000);
    TableStats stats = new TableStats();
    BlockCache cache = new BlockCache(0);
    try (TableReader r = TableReader.open(file, 2, cache, stats)) {
      r.get("k000500".getBytes(), 1);
      r.get("k000500".getBytes(), 1);
      assertThat(stats.cacheHits()).isZero();
      assertThat(stats.cacheMisses()).isEqualTo(2);
      assertThat(cache.weightedSize()).isZero();
    }
  }

  @Test
  void weightStaysWithinCapacityAndEvictFileDropsBlocks() {
    Path a = table("3.sst", 20_000);
    Path b = table("4.sst", 2000);
    BlockCache cache = new BlockCache(64 << 10);
    TableStats stats = new TableStats();
    try (TableReader ra = TableReader.open(a, 3, cache, stats);
        TableReader rb = TableReader.open(b, 4, cache, stats);
        InternalIterator ia = ra.newIterator();
        InternalIterator ib = rb.newIterator()) {
      assertThat(TestTables.readAll(ia)).hasSize(20_000);
      assertThat(cache.weightedSize()).isLessThanOrEqualTo(64 << 10);
      TestTables.readAll(ib);
      long withB = cache.weightedSize();
      cache.evictFile(4);
      assertThat(cache.weightedSize()).isLessThan(withB);
      long misses = stats.cacheMisses();
      rb.get("k000001".getBytes(), 1);
      assertThat(stats.cacheMisses()).isEqualTo(misses + 1);
    }
  }

  @Test
  void concurrentGetsAndIteratorsAgree() throws Exception {
    Path file = table("5.sst", 5000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (TableReader r = TableReader.open(file, 5, new BlockCache(32 << 10), new TableStats())) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        results.add(
            pool.submit(
                () -> {
                  int found = 0;
                  for (int i = offset; i < 5000; i += 3) {
                    if (r.get("k%06d".formatted(i).getBytes(), 1).status()
                        == TableGet.Status.FOUND) {
                      found++;
                    }
                  }
                  try (InternalIterator it = r.newIterator()) {
                    found += TestTables.readAll(it).size();
                  }
                  return found;
                }));
      }
      for (int t = 0; t < 8; t++) {
        int expectedGets = (5000 - t + 2) / 3;
        assertThat(results.get(t).get()).isEqualTo(expectedGets + 5000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
