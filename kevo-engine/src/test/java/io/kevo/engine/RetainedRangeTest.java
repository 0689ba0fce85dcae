package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database narrowed to a key range (a shard after a split) and a checkpoint of a range (what a
 * new shard's node bootstraps from): what stays on disk, what a reopen keeps, what is shipped.
 */
class RetainedRangeTest {
  private static final KeyRange MIDDLE = new KeyRange(b(key(1000)), b(key(2000)));

  @TempDir Path tmp;

  private static String key(int i) {
    return String.format("key%06d", i);
  }

  /** Values that do not compress, so that 3,000 keys make many 64 KiB tables. */
  private static void write(KevoDB db, int from, int to, String tag) {
    Random random = new Random(from * 31L + tag.hashCode());
    byte[] noise = new byte[60];
    for (int i = from; i < to; i++) {
      random.nextBytes(noise);
      db.put(b(key(i)), b(tag + i + HexFormat.of().formatHex(noise)));
    }
  }

  private static TreeMap<String, String> contents(KevoDB db) {
    TreeMap<String, String> out = new TreeMap<>();
    try (KevoIterator it = db.scan(ScanOptions.builder().build())) {
      it.forEachRemaining(kv -> out.put(s(kv.key()), s(kv.value())));
    }
    return out;
  }

  private static TreeMap<String, String> middle(TreeMap<String, String> all) {
    return new TreeMap<>(all.subMap(key(1000), key(2000)));
  }

  @Test
  void retainOnlyLeavesNoKeyOutsideTheRangeAndTheRangeSurvivesAReopen() {
    Path dir = tmp.resolve("db");
    TreeMap<String, String> expected;
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      write(db, 0, 3000, "v");
      db.compactRange(null, null);
      write(db, 0, 3000, "w"); // newer versions in the memtable and in L0
      expected = middle(contents(db));
      assertThat(db.retained()).isEqualTo(KeyRange.ALL);

      db.retainOnly(MIDDLE);

      assertThat(db.retained()).isEqualTo(MIDDLE);
      assertThat(contents(db)).isEqualTo(expected);
      // A key outside written now is dropped by the next flush.
      db.put(b(key(5)), b("late"));
      db.put(b(key(1500)), b("kept"));
      expected.put(key(1500), "kept");
      db.flush();
      assertThat(db.get(b(key(5)))).isEmpty();
    }
    try (KevoDB again = KevoDB.open(dir, LsmTest.SMALL)) {
      assertThat(again.retained()).isEqualTo(MIDDLE);
      assertThat(contents(again)).isEqualTo(expected);
    }
  }

  @Test
  void narrowingDropsTheTablesOutsideWithoutReadingThem() {
    try (KevoDB db = KevoDB.open(tmp.resolve("db"), LsmTest.SMALL)) {
      write(db, 0, 3000, "v");
      db.compactRange(null, null);
      long tables;
      try (Checkpoint all = db.checkpoint()) {
        tables = all.totalBytes();
      }
      long readBefore = db.stats().compactionBytesRead();

      db.retainOnly(MIDDLE);

      assertThat(db.stats().compactionBytesRead() - readBefore)
          .as("only the tables astride the range's bounds are read and rewritten")
          .isLessThan(tables / 3);
      assertThat(contents(db).keySet()).hasSize(1000).allMatch(k -> MIDDLE.contains(b(k)));
    }
  }

  @Test
  void aCheckpointOfARangeShipsOnlyItsTablesAndItsCopyKeepsOnlyTheRange() throws Exception {
    Path dst = tmp.resolve("dst");
    try (KevoDB db = KevoDB.open(tmp.resolve("src"), LsmTest.SMALL);
        KevoDB copy = KevoDB.open(dst, LsmTest.SMALL)) {
      write(db, 0, 3000, "v");
      db.compactRange(null, null);
      long whole;
      try (Checkpoint all = db.checkpoint()) {
        whole = all.totalBytes();
      }
      try (Checkpoint c = db.checkpoint(MIDDLE)) {
        assertThat(c.range()).isEqualTo(MIDDLE);
        // A third of the keys, plus at most the two tables astride the range's ends.
        assertThat(c.totalBytes()).isLessThan(whole / 2);
        try (StagedCheckpoint st = stage(c, dst)) {
          st.seal();
          copy.replaceWith(st);
        }
      }
      assertThat(copy.retained()).isEqualTo(MIDDLE);
      assertThat(middle(contents(copy))).isEqualTo(middle(contents(db)));
      // The tables astride the ends held some keys outside: the next compaction drops them.
      copy.compactRange(null, null);
      assertThat(contents(copy)).isEqualTo(middle(contents(db)));
    }
    try (KevoDB again = KevoDB.open(dst, LsmTest.SMALL)) {
      assertThat(again.retained()).isEqualTo(MIDDLE);
    }
  }

  @Test
  void aDamagedRetainedRangeFileIsRefusedAtOpen() throws Exception {
    Path dir = tmp.resolve("db");
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      write(db, 0, 10, "v");
      db.retainOnly(MIDDLE);
    }
    Path file = dir.resolve("RETAINED");
    Files.writeString(file, Files.readString(file).replace("start ", "start 00"));
    assertThatThrownBy(() -> KevoDB.open(dir, LsmTest.SMALL))
        .isInstanceOfSatisfying(
            KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION))
        .hasMessageContaining("RETAINED")
        .hasMessageContaining("checksum mismatch");
  }

  private static StagedCheckpoint stage(Checkpoint c, Path target) {
    StagedCheckpoint st = StagedCheckpoint.create(target, c.sequence(), c.files(), c.range());
    ByteBuffer buf = ByteBuffer.allocate(4096);
    for (int i = 0; i < c.files().size(); i++) {
      long off = 0;
      for (int n; (n = c.read(i, off, buf.clear())) > 0; off += n) {
        st.write(i, off, buf.flip());
      }
      st.finishFile(i);
    }
    return st;
  }
}
