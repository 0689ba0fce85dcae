package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica's log is the primary's, number for number: records applied at their own sequences. */
class ReplicatedApplyTest {
  @TempDir Path tmp;

  private static List<WalRecord> records(KevoDB db, long from) {
    List<WalRecord> out = new ArrayList<>();
    try (WalCursor c = db.wal().readFrom(from)) {
      c.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void replicaLogMatchesThePrimarysRecordForRecordAndSurvivesReopen() {
    Path primaryDir = tmp.resolve("primary");
    Path replicaDir = tmp.resolve("replica");
    List<WalRecord> shipped;
    try (KevoDB primary = KevoDB.open(primaryDir)) {
      primary.put(b("a"), b("1"));
      primary.write(new WriteBatch().put(b("b"), b("2")).delete(b("a")).put(b("c"), b("")));
      try (Transaction tx = primary.beginTransaction()) {
        tx.put(b("d"), b("4"));
        tx.commit();
      }
      primary.delete(b("b"));
      shipped = records(primary, 1);
    }
    try (KevoDB replica = KevoDB.open(replicaDir)) {
      for (WalRecord r : shipped) {
        assertThat(replica.applyReplicated(r, WriteOptions.DEFAULT)).isEqualTo(r.lastSequence());
      }
      assertThat(replica.syncWal()).isEqualTo(6);
      assertThat(records(replica, 1)).usingRecursiveComparison().isEqualTo(shipped);
    }
    // Held at open, as a primary's log is: without a hold, the flush at open would trim the
    // records it replayed (they are in SSTables then) and there would be no log left to compare.
    try (KevoDB replica = KevoDB.open(replicaDir, Options.builder().holdWalAtOpen(true).build())) {
      assertThat(replica.wal().nextSequence()).isEqualTo(7);
      assertThat(replica.get(b("a"))).isEmpty();
      assertThat(replica.get(b("b"))).isEmpty();
      assertThat(replica.get(b("c")).map(TestData::s)).contains("");
      assertThat(s(replica.get(b("d")).orElseThrow())).isEqualTo("4");
      assertThat(records(replica, 2).get(0).batch()).isTrue();
      assertThat(records(replica, 2).get(0).operations()).hasSize(3);
    }
  }

  @Test
  void refusesDuplicatesAndGapsWithoutWritingAnything() {
    try (KevoDB db = KevoDB.open(tmp.resolve("db"))) {
      db.applyReplicated(put(1, "a"), WriteOptions.DEFAULT);
      db.applyReplicated(put(2, "b"), WriteOptions.DEFAULT);
      assertThatThrownBy(() -> db.applyReplicated(put(2, "dup"), WriteOptions.DEFAULT))
          .isInstanceOfSatisfying(
              KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SEQUENCE_MISMATCH))
          .hasMessageContaining("already applied");
      assertThatThrownBy(() -> db.applyReplicated(put(5, "gap"), WriteOptions.DEFAULT))
          .isInstanceOfSatisfying(
              KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SEQUENCE_MISMATCH))
          .hasMessageContaining("a gap");
      WalRecord holes =
          new WalRecord(
              List.of(
                  new WalOperation(OpType.PUT, 3, b("x"), b("1")),
                  new WalOperation(OpType.PUT, 5, b("y"), b("1"))),
              true);
      assertThatThrownBy(() -> db.applyReplicated(holes, WriteOptions.DEFAULT))
          .isInstanceOfSatisfying(
              KevoException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.SEQUENCE_MISMATCH));
      assertThat(db.wal().nextSequence()).isEqualTo(3);
      assertThat(db.get(b("dup"))).isEmpty();
      assertThat(db.get(b("gap"))).isEmpty();
      assertThat(db.get(b("x"))).isEmpty();
      assertThat(db.applyReplicated(put(3, "c"), new WriteOptions(true))).isEqualTo(3);
      assertThat(db.wal().durableSequence()).isEqualTo(3);
    }
  }

  @Test
  void bytesFromCountsTheSegmentsAReaderKeepsAlive() {
    Options small = Options.builder().segmentSize(64 * 1024).syncMode(SyncMode.NONE).build();
    try (KevoDB db = KevoDB.open(tmp.resolve("db"), small)) {
      assertThat(db.wal().bytesFrom(1)).isZero();
      for (int i = 0; i < 500; i++) {
        db.put(b("k" + i), new byte[400]);
      }
      long all = db.wal().bytesFrom(1);
      assertThat(all).isGreaterThan(500L * 400);
      long tail = db.wal().bytesFrom(480);
      assertThat(tail).isPositive().isLessThan(all);
      assertThat(db.wal().bytesFrom(501)).isLessThanOrEqualTo(64 * 1024);
    }
  }

  private static WalRecord put(long seq, String key) {
    return new WalRecord(List.of(new WalOperation(OpType.PUT, seq, b(key), b("v"))), false);
  }

  @Test
  void openingHoldKeepsFlushedSegmentsUntilTheOwnerTakesAndClosesIt() {
    Options small =
        Options.builder()
            .segmentSize(64 * 1024)
            .syncMode(SyncMode.NONE)
            .holdWalAtOpen(true)
            .build();
    Path dir = tmp.resolve("primary");
    try (KevoDB db = KevoDB.open(dir, small)) {
      db.wal().takeOpeningHold().close();
      try (RetentionHold replica = db.wal().retain(1)) {
        for (int i = 0; i < 500; i++) {
          db.put(b("k" + i), new byte[400]);
        }
        db.flush();
        assertThat(db.wal().firstRetainedSequence()).isEqualTo(1);
      }
    }
    try (KevoDB db = KevoDB.open(dir, small)) {
      // Everything is in SSTables, but nothing is trimmed until the owner re-created its holds.
      assertThat(db.wal().firstRetainedSequence()).isEqualTo(1);
      db.put(b("more"), b("v"));
      db.flush();
      assertThat(db.wal().firstRetainedSequence()).isEqualTo(1);
      RetentionHold opening = db.wal().takeOpeningHold();
      assertThat(opening).isNotNull();
      assertThat(db.wal().takeOpeningHold()).isNull();
      try (RetentionHold replica = db.wal().retain(300)) {
        opening.close();
        db.put(b("again"), b("v"));
        db.flush();
        assertThat(db.wal().firstRetainedSequence()).isGreaterThan(1).isLessThanOrEqualTo(300);
      }
    }
    try (KevoDB db = KevoDB.open(dir, Options.builder().segmentSize(64 * 1024).build())) {
      assertThat(db.wal().takeOpeningHold()).isNull();
      assertThat(db.wal().firstRetainedSequence()).isGreaterThan(300);
    }
  }

  @Test
  void appliesConsecutiveRecordsAsOneGroupOrNoneOfThem() {
    try (KevoDB db = KevoDB.open(tmp.resolve("db"))) {
      db.applyReplicated(put(1, "a"), WriteOptions.DEFAULT);
      WalRecord batch =
          new WalRecord(
              List.of(
                  new WalOperation(OpType.PUT, 3, b("b"), b("1")),
                  new WalOperation(OpType.DELETE, 4, b("a"), null)),
              true);
      long groupsBefore = db.stats().walGroupCommits();
      assertThat(db.applyReplicated(List.of(put(2, "x"), batch, put(5, "c")), WriteOptions.DEFAULT))
          .isEqualTo(5);
      assertThat(db.stats().walGroupCommits() - groupsBefore).isEqualTo(1);
      assertThat(records(db, 2)).hasSize(3);
      assertThat(records(db, 3).get(0).batch()).isTrue();
      assertThat(db.get(b("a"))).isEmpty();

      // A group whose first record was already applied is refused whole, even if a later one
      // would have fitted: the caller's view of the log was wrong.
      assertThatThrownBy(
              () -> db.applyReplicated(List.of(put(5, "dup"), put(6, "d")), WriteOptions.DEFAULT))
          .isInstanceOfSatisfying(
              KevoException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.SEQUENCE_MISMATCH));
      assertThatThrownBy(
              () -> db.applyReplicated(List.of(put(6, "d"), put(8, "e")), WriteOptions.DEFAULT))
          .hasMessageContaining("not numbered consecutively");
      assertThat(db.wal().nextSequence()).isEqualTo(6);
      assertThat(db.get(b("d"))).isEmpty();
    }
  }
}
