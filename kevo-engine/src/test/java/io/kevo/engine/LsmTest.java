package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flush, compaction, snapshots and iterators across memtables and SSTables. */
class LsmTest {
  @TempDir Path dir;

  /** Tiny sizes so that a few thousand writes exercise every level. */
  static final Options SMALL =
      Options.builder()
          .memtableSize(64 * 1024)
          .segmentSize(64 * 1024)
          .targetFileSize(64 * 1024)
          .level1MaxBytes(256 * 1024)
          .l0CompactionTrigger(2)
          .l0SlowdownTrigger(8)
          .l0StopTrigger(12)
          .blockSize(1024)
          .syncMode(SyncMode.NONE)
          .build();

  private static String key(int i) {
    return String.format("key%06d", i);
  }

  private static List<String> all(KevoIterator it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(s(kv.key()) + "=" + s(kv.value())));
    }
    return out;
  }

  private long sstFiles() throws Exception {
    try (Stream<Path> st = Files.list(dir)) {
      return st.filter(p -> p.toString().endsWith(".sst")).count();
    }
  }

  @Test
  void flushWritesAnL0TableDeletesWalSegmentsAndSurvivesReopen() throws Exception {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      for (int i = 0; i < 300; i++) {
        db.put(b(key(i)), new byte[500]);
      }
      db.flush();
      DbStats st = db.stats();
      assertThat(st.persistedSequence()).isEqualTo(300);
      assertThat(st.sstableCount()).isPositive();
      assertThat(st.flushes()).isPositive();
      assertThat(st.walSegments()).isEqualTo(1);
      assertThat(db.get(b(key(17)))).isPresent();
    }
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      assertThat(db.latestSequence()).isEqualTo(300);
      assertThat(db.stats().recoveredOperations()).isZero();
      assertThat(db.get(b(key(299)))).hasValueSatisfying(v -> assertThat(v).hasSize(500));
      assertThat(db.put(b("next"), b("v"))).isEqualTo(301);
    }
  }

  @Test
  void readAmplificationCountsTheTablesPointReadsConsult() {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      for (int i = 0; i < 300; i++) {
        db.put(b(key(i)), new byte[500]);
      }
      db.flush();
      DbStats flushed = db.stats();
      assertThat(flushed.readAmplification()).isZero();
      assertThat(db.get(b(key(17)))).isPresent();
      assertThat(db.get(b(key(18)))).isPresent();
      DbStats read = db.stats();
      assertThat(read.tablesProbed() - flushed.tablesProbed())
          .as("each read consulted the one L0 table holding its key")
          .isEqualTo(2);
      db.put(b(key(17)), b("again"));
      assertThat(db.get(b(key(17)))).hasValue(b("again"));
      assertThat(db.stats().tablesProbed())
          .as("a read the memtable answers consults no table")
          .isEqualTo(read.tablesProbed());
      assertThat(db.stats().readAmplification()).isEqualTo(2.0 / 3);
    }
  }

  @Test
  void manyWritesSpreadOverLevelsAndReadBackExactly() {
    int n = 20_000;
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      for (int i = 0; i < n; i++) {
        db.put(b(key(i * 7919 % n)), b("v" + i));
      }
      for (int i = 0; i < n; i += 3) {
        db.delete(b(key(i)));
      }
      db.flush();
      DbStats st = db.stats();
      assertThat(st.compactions()).isPositive();
      assertThat(st.levels().stream().filter(l -> l.level() >= 1 && l.files() > 0)).isNotEmpty();
      assertThat(st.writeAmplification()).isGreaterThan(1.0);
      check(db, n);
    }
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      check(db, n);
    }
  }

  private static void check(KevoDB db, int n) {
    for (int i = 0; i < n; i++) {
      if (i % 3 == 0) {
        assertThat(db.get(b(key(i)))).as(key(i)).isEmpty();
      } else {
        assertThat(db.get(b(key(i)))).as(key(i)).isPresent();
      }
    }
    List<String> keys = new ArrayList<>();
    try (KevoIterator it = db.scan(ScanOptions.ALL)) {
      it.forEachRemaining(kv -> keys.add(s(kv.key())));
    }
    assertThat(keys).hasSize(n - (n + 2) / 3).isSorted();
    List<String> reversed = new ArrayList<>();
    try (KevoIterator it = db.scan(ScanOptions.builder().reverse(true).build())) {
      it.forEachRemaining(kv -> reversed.add(s(kv.key())));
    }
    java.util.Collections.reverse(reversed);
    assertThat(reversed).isEqualTo(keys);
  }

  @Test
  void compactRangeDropsDeletedAndOverwrittenData() throws Exception {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 2000; i++) {
          db.put(b(key(i)), new byte[200]);
        }
      }
      for (int i = 0; i < 2000; i++) {
        db.delete(b(key(i)));
      }
      db.compactRange(null, null);
      assertThat(db.stats().sstableCount()).isZero();
      assertThat(sstFiles()).isZero();
      assertThat(all(db.scan(ScanOptions.ALL))).isEmpty();
    }
  }

  @Test
  void snapshotsSeeTheirVersionThroughFlushAndCompaction() {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      for (int i = 0; i < 1000; i++) {
        db.put(b(key(i)), b("old" + i));
      }
      try (Snapshot snap = db.snapshot()) {
        for (int i = 0; i < 1000; i++) {
          if (i % 2 == 0) {
            db.put(b(key(i)), b("new" + i));
          } else {
            db.delete(b(key(i)));
          }
        }
        db.compactRange(null, null);
        ReadOptions at = ReadOptions.at(snap);
        for (int i = 0; i < 1000; i += 37) {
          int k = i;
          assertThat(db.get(b(key(i)), at))
              .hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("old" + k));
          assertThat(db.get(b(key(i))).isPresent()).isEqualTo(i % 2 == 0);
        }
        assertThat(all(db.scan(ScanOptions.ALL, at))).hasSize(1000);
        assertThat(all(db.scan(ScanOptions.ALL))).hasSize(500);
      }
      long before = db.stats().levels().stream().mapToLong(DbStats.LevelStats::bytes).sum();
      db.compactRange(null, null);
      long after = db.stats().levels().stream().mapToLong(DbStats.LevelStats::bytes).sum();
      assertThat(after).isLessThan(before);
    }
  }

  @Test
  void aClosedSnapshotCannotBeReadFrom() {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      Snapshot snap = db.snapshot();
      snap.close();
      snap.close();
      assertThatThrownBy(() -> db.get(b("a"), ReadOptions.at(snap))).hasMessageContaining("closed");
    }
  }

  @Test
  void cursorsMoveBothWaysAcrossMemtableAndTablesWithBoundsPrefixAndSuffix() {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      for (int i = 0; i < 3000; i++) {
        db.put(b(key(i)), b("v" + i));
      }
      db.flush();
      for (int i = 0; i < 3000; i += 10) {
        db.put(b(key(i)), b("w" + i));
      }
      ScanOptions bounded = ScanOptions.range(b(key(100)), b(key(200)));
      try (KevoCursor c = db.cursor(bounded, ReadOptions.DEFAULT)) {
        c.seekToFirst();
        assertThat(s(c.key())).isEqualTo(key(100));
        assertThat(s(c.value())).isEqualTo("w100");
        c.seekToLast();
        assertThat(s(c.key())).isEqualTo(key(199));
        c.prev();
        assertThat(s(c.key())).isEqualTo(key(198));
        c.next();
        c.next();
        assertThat(c.valid()).isFalse();
        c.seek(b(key(150) + "x"));
        assertThat(s(c.key())).isEqualTo(key(151));
        c.seekForPrev(b(key(150) + "x"));
        assertThat(s(c.key())).isEqualTo(key(150));
      }
      assertThat(all(db.scan(ScanOptions.prefix(b("key00120"))))).hasSize(10);
      assertThat(
              all(
                  db.scan(
                      ScanOptions.builder()
                          .prefix(b("key0010"))
                          .suffix(b("5"))
                          .reverse(true)
                          .build())))
          .containsExactly(
              "key001095=v1095",
              "key001085=v1085",
              "key001075=v1075",
              "key001065=v1065",
              "key001055=v1055",
              "key001045=v1045",
              "key001035=v1035",
              "key001025=v1025",
              "key001015=v1015",
              "key001005=v1005");
    }
  }

  @Test
  void anOpenIteratorKeepsCompactedFilesUntilItIsClosed() throws Exception {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      for (int i = 0; i < 2000; i++) {
        db.put(b(key(i)), new byte[200]);
      }
      db.compactRange(null, null); // settled: no background rewrite races the listing below
      KevoIterator it = db.scan(ScanOptions.ALL);
      List<Path> before;
      try (Stream<Path> st = Files.list(dir)) {
        before = st.filter(p -> p.toString().endsWith(".sst")).toList();
      }
      for (int i = 0; i < 2000; i++) {
        db.delete(b(key(i)));
      }
      db.compactRange(null, null);
      assertThat(db.stats().sstableCount()).isZero();
      assertThat(before).allSatisfy(p -> assertThat(p).exists());
      int n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      assertThat(n).isEqualTo(2000);
      it.close();
      assertThat(before).allSatisfy(p -> assertThat(p).doesNotExist());
    }
  }

  @Test
  void strayTemporaryAndUnlistedFilesAreRemovedAtOpen() throws Exception {
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      db.put(b("a"), b("1"));
      db.flush();
    }
    Files.write(dir.resolve("00000000000000009999.sst.tmp"), new byte[10]);
    Files.write(dir.resolve("00000000000000009998.sst"), new byte[10]);
    try (KevoDB db = KevoDB.open(dir, SMALL)) {
      assertThat(db.get(b("a"))).isPresent();
    }
    assertThat(dir.resolve("00000000000000009999.sst.tmp")).doesNotExist();
    assertThat(dir.resolve("00000000000000009998.sst")).doesNotExist();
  }

  @Test
  void aBackgroundFailureIsStickyAndNamesItsCause() throws Exception {
    try (KevoDB db = KevoDB.open(dir, SMALL.toBuilder().blockCacheSize(0).build())) {
      for (int i = 0; i < 500; i++) {
        db.put(b(key(i)), new byte[300]);
      }
      // Settle the tree first, so no background compaction rewrites the files we damage.
      db.compactRange(null, null);
      try (Stream<Path> st = Files.list(dir)) {
        for (Path p : st.filter(p -> p.toString().endsWith(".sst")).toList()) {
          // Truncated under the open readers: the next compaction cannot read them.
          try (var ch =
              java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(10);
          }
        }
      }
      assertThatThrownBy(() -> db.compactRange(null, null)).isInstanceOf(KevoException.class);
      assertThatThrownBy(() -> db.put(b("x"), b("y")))
          .isInstanceOf(KevoException.class)
          .extracting(e -> ((KevoException) e).code())
          .isEqualTo(ErrorCode.WRITES_REFUSED);
      assertThat(db.stats().backgroundError()).isNotNull();
    }
  }

  @Test
  void writesStallButNeverFailWhenFlushingFallsBehind() throws Exception {
    Options tiny = SMALL.toBuilder().l0SlowdownTrigger(2).l0StopTrigger(3).build();
    try (KevoDB db = KevoDB.open(dir, tiny)) {
      byte[] v = new byte[1000];
      for (int i = 0; i < 5000; i++) {
        db.put(b(key(i)), v);
      }
      DbStats st = db.stats();
      assertThat(st.levels().get(0).files()).isLessThanOrEqualTo(4);
      assertThat(st.immutableMemtables()).isLessThanOrEqualTo(1);
      assertThat(st.writeSlowdowns() + st.writeStops())
          .as("writers were held back at L0's triggers")
          .isPositive();
      assertThat(st.writeStallNanos()).isGreaterThanOrEqualTo(st.writeSlowdowns() * 1_000_000);
      assertThat(db.get(b(key(4999)))).isPresent();
    }
  }
}
