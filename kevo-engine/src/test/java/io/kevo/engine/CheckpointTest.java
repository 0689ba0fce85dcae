package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints (the sending half of a bootstrap) and staged checkpoints (the receiving half): files
 * pinned across compaction, the WAL held after the checkpoint, atomic installation into another
 * database, and what a crash at each step leaves.
 */
class CheckpointTest {
  @TempDir Path tmp;

  private static String key(int i) {
    return String.format("key%06d", i);
  }

  private static TreeMap<String, String> contents(KevoDB db) {
    TreeMap<String, String> out = new TreeMap<>();
    try (KevoIterator it = db.scan(ScanOptions.builder().build())) {
      it.forEachRemaining(kv -> out.put(s(kv.key()), s(kv.value())));
    }
    return out;
  }

  /**
   * Copies every file of {@code c} into a staged checkpoint for {@code target}, in 1 KiB chunks.
   */
  private static StagedCheckpoint copy(Checkpoint c, Path target, int upToFiles) {
    StagedCheckpoint st = StagedCheckpoint.create(target, c.sequence(), c.files());
    ByteBuffer buf = ByteBuffer.allocate(1024);
    for (int i = 0; i < Math.min(upToFiles, c.files().size()); i++) {
      long off = 0;
      while (true) {
        buf.clear();
        int n = c.read(i, off, buf);
        if (n == 0) {
          break;
        }
        buf.flip();
        st.write(i, off, buf);
        off += n;
      }
      st.finishFile(i);
    }
    return st;
  }

  private static void write(KevoDB db, int from, int to, String tag) {
    for (int i = from; i < to; i++) {
      db.put(b(key(i)), b(tag + i));
    }
  }

  @Test
  void checkpointFilesSurviveCompactionAndInstallGivesTheSameContentsAndNextSequence()
      throws Exception {
    Path src = tmp.resolve("src");
    Path dst = tmp.resolve("dst");
    try (KevoDB db = KevoDB.open(src, LsmTest.SMALL);
        KevoDB replica = KevoDB.open(dst, LsmTest.SMALL)) {
      write(db, 0, 3000, "v");
      for (int i = 0; i < 3000; i += 7) {
        db.delete(b(key(i)));
      }
      replica.put(b("only-on-the-replica"), b("x"));
      try (Checkpoint c = db.checkpoint()) {
        long s = c.sequence();
        assertThat(s).isEqualTo(db.latestSequence());
        TreeMap<String, String> expected = contents(db);
        // Writes and compaction go on: the checkpoint's files stay readable.
        write(db, 0, 3000, "after");
        db.compactRange(null, null);
        for (CheckpointFile f : c.files()) {
          if (f.name().endsWith(".sst")) {
            assertThat(src.resolve(f.name())).exists();
          }
        }
        // The log is held after the checkpoint: a reader can continue at s + 1.
        try (WalCursor cur = db.wal().readFrom(s + 1)) {
          assertThat(cur.next().firstSequence()).isEqualTo(s + 1);
        }
        try (StagedCheckpoint st = copy(c, dst, Integer.MAX_VALUE)) {
          st.seal();
          replica.replaceWith(st);
        }
        assertThat(contents(replica)).isEqualTo(expected);
        assertThat(replica.wal().nextSequence()).isEqualTo(s + 1);
        assertThat(replica.latestSequence()).isEqualTo(s);
        assertThat(replica.get(b("only-on-the-replica"))).isEmpty();
        // It continues with the primary's log from s + 1, number for number.
        try (WalCursor cur = db.wal().readFrom(s + 1)) {
          while (cur.hasNext()) {
            replica.applyReplicated(cur.next(), WriteOptions.DEFAULT);
          }
        }
        assertThat(contents(replica)).isEqualTo(contents(db));
      }
      // Closing the checkpoint released the files compaction replaced.
      db.compactRange(null, null);
    }
    try (KevoDB again = KevoDB.open(dst, LsmTest.SMALL)) {
      assertThat(again.get(b(key(1)))).map(TestData::s).contains("after1");
    }
    try (Stream<Path> st = Files.list(dst)) {
      assertThat(st.map(p -> p.getFileName().toString())).doesNotContain("checkpoint-staging");
    }
  }

  @Test
  void anEmptyDatabaseCheckpointsToNothing() throws Exception {
    Path dst = tmp.resolve("dst");
    try (KevoDB db = KevoDB.open(tmp.resolve("src"));
        KevoDB replica = KevoDB.open(dst);
        Checkpoint c = db.checkpoint()) {
      assertThat(c.sequence()).isZero();
      assertThat(c.files()).singleElement().matches(f -> CheckpointFile.isManifest(f.name()));
      try (StagedCheckpoint st = copy(c, dst, 1)) {
        st.seal();
        replica.replaceWith(st);
      }
      assertThat(replica.wal().nextSequence()).isEqualTo(1);
      assertThat(replica.put(b("k"), b("v"))).isEqualTo(1);
    }
  }

  @Test
  void anInterruptedTransferIsDiscardedAndASealedOneIsInstalledAtTheNextOpen() throws Exception {
    Path src = tmp.resolve("src");
    Path dst = tmp.resolve("dst");
    try (KevoDB db = KevoDB.open(src, LsmTest.SMALL)) {
      write(db, 0, 2000, "v");
      try (KevoDB replica = KevoDB.open(dst, LsmTest.SMALL)) {
        write(replica, 0, 10, "old");
      }
      try (Checkpoint c = db.checkpoint()) {
        // A crash in mid-transfer (the staging directory is left as is): the old contents.
        StagedCheckpoint partial = copy(c, dst, c.files().size() - 1);
        assertThat(dst.resolve(StagedCheckpoint.STAGING_DIR)).isDirectory();
        try (KevoDB replica = KevoDB.open(dst, LsmTest.SMALL)) {
          assertThat(contents(replica)).hasSize(10).containsEntry(key(3), "old3");
        }
        assertThat(dst.resolve(StagedCheckpoint.STAGING_DIR)).doesNotExist();
        assertThatThrownBy(partial::seal).isInstanceOf(KevoException.class);

        // A crash after the seal, before (or during) installation: the next open installs it.
        StagedCheckpoint sealed = copy(c, dst, Integer.MAX_VALUE);
        sealed.seal();
        // Simulate a crash halfway through an installation: CURRENT already gone, one table moved.
        Files.delete(dst.resolve("CURRENT"));
        CheckpointFile first = c.files().get(0);
        Files.move(
            dst.resolve(StagedCheckpoint.STAGING_DIR).resolve(first.name()),
            dst.resolve(first.name()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (KevoDB replica = KevoDB.open(dst, LsmTest.SMALL)) {
          assertThat(contents(replica)).isEqualTo(contents(db));
          assertThat(replica.wal().nextSequence()).isEqualTo(c.sequence() + 1);
        }
        assertThat(dst.resolve(StagedCheckpoint.STAGING_DIR)).doesNotExist();
      }
    }
  }

  @Test
  void aSuspendedDatabaseIsUnavailableUntilResumed() throws Exception {
    try (KevoDB db = KevoDB.open(tmp.resolve("db"))) {
      db.put(b("k"), b("v"));
      db.suspend("bootstrapping from a snapshot of the primary");
      assertThatThrownBy(() -> db.get(b("k")))
          .isInstanceOf(KevoException.class)
          .hasMessageContaining("bootstrapping")
          .matches(e -> ((KevoException) e).code() == ErrorCode.UNAVAILABLE);
      db.resume();
      assertThat(db.get(b("k"))).map(TestData::s).contains("v");
    }
  }

  @Test
  void stagingRefusesOutOfOrderChunksAndBadNames() throws Exception {
    Path dst = tmp.resolve("dst");
    List<CheckpointFile> files = new ArrayList<>();
    files.add(new CheckpointFile("00000000000000000007.sst", 10));
    files.add(new CheckpointFile("MANIFEST-000009", 4));
    try (StagedCheckpoint st = StagedCheckpoint.create(dst, 5, files)) {
      assertThatThrownBy(() -> st.write(0, 3, ByteBuffer.wrap(new byte[2])))
          .isInstanceOf(KevoException.class);
      assertThatThrownBy(() -> st.write(1, 0, ByteBuffer.wrap(new byte[5])))
          .isInstanceOf(KevoException.class);
      assertThatThrownBy(() -> st.finishFile(0)).isInstanceOf(KevoException.class);
    }
    assertThatThrownBy(() -> new CheckpointFile("../evil.sst", 1))
        .isInstanceOf(KevoException.class);
    assertThatThrownBy(
            () ->
                StagedCheckpoint.create(
                    dst, 1, List.of(new CheckpointFile("1".repeat(20) + ".sst", 1))))
        .isInstanceOf(KevoException.class);
  }
}
