package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.internal.DbCoreAccess;
import io.kevo.engine.internal.wal.Wal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What replication needs from the WAL: reading from a sequence, listeners, retention holds. */
class WalAccessTest {
  @TempDir Path dir;

  private static final Options SMALL_SEGMENTS =
      Options.builder().segmentSize(64 * 1024).syncMode(SyncMode.NONE).build();

  private static List<Long> sequences(WalCursor c) {
    List<Long> out = new ArrayList<>();
    try (c) {
      while (c.hasNext()) {
        for (WalOperation op : c.next().operations()) {
          out.add(op.sequence());
        }
      }
    }
    return out;
  }

  @Test
  void readsEveryOperationFromASequenceAcrossSegmentsIncludingTheLiveOne() {
    try (KevoDB db = KevoDB.open(dir, SMALL_SEGMENTS)) {
      for (int i = 0; i < 500; i++) {
        db.put(b("k" + i), new byte[400]);
      }
      assertThat(db.stats().walSegments()).isGreaterThan(3);
      WalAccess wal = db.wal();
      assertThat(wal.nextSequence()).isEqualTo(501);
      assertThat(wal.firstRetainedSequence()).isEqualTo(1);
      assertThat(sequences(wal.readFrom(1))).hasSize(500).startsWith(1L, 2L).endsWith(500L);
      assertThat(sequences(wal.readFrom(250)).get(0)).isEqualTo(250);
      assertThat(sequences(wal.readFrom(501))).isEmpty();

      try (WalCursor c = wal.readFrom(499)) {
        assertThat(c.next().firstSequence()).isEqualTo(499);
        assertThat(c.next().firstSequence()).isEqualTo(500);
        assertThat(c.hasNext()).isFalse();
        db.put(b("later"), b("v"));
        assertThat(c.hasNext()).isTrue();
        WalRecord r = c.next();
        assertThat(r.firstSequence()).isEqualTo(501);
        assertThat(s(r.operations().get(0).key())).isEqualTo("later");
      }
    }
  }

  @Test
  void replaysAfterReopenWithTheSameSequences() {
    try (KevoDB db = KevoDB.open(dir, SMALL_SEGMENTS)) {
      for (int i = 0; i < 300; i++) {
        db.put(b("k" + i), new byte[400]);
      }
    }
    // Held at open (as a primary's log is), so that the flush at open leaves the replayed records.
    try (KevoDB db = KevoDB.open(dir, SMALL_SEGMENTS.toBuilder().holdWalAtOpen(true).build())) {
      db.put(b("after"), b("v"));
      List<Long> seqs = sequences(db.wal().readFrom(1));
      assertThat(seqs).hasSize(301);
      for (int i = 0; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).isEqualTo(i + 1L);
      }
    }
  }

  @Test
  void aBatchIsReturnedWholeEvenWhenReadingFromItsMiddle() {
    try (KevoDB db = KevoDB.open(dir)) {
      db.put(b("a"), b("1"));
      db.write(new WriteBatch().put(b("b"), b("2")).put(b("c"), b("3")).delete(b("a")));
      try (WalCursor c = db.wal().readFrom(3)) {
        WalRecord r = c.next();
        assertThat(r.batch()).isTrue();
        assertThat(r.firstSequence()).isEqualTo(2);
        assertThat(r.lastSequence()).isEqualTo(4);
        assertThat(r.operations().get(2).type()).isEqualTo(OpType.DELETE);
      }
    }
  }

  @Test
  void aSequenceFromTheFutureIsRefusedClearly() {
    try (KevoDB db = KevoDB.open(dir)) {
      db.put(b("a"), b("1"));
      assertThatThrownBy(() -> db.wal().readFrom(10))
          .isInstanceOf(KevoException.class)
          .hasMessageContaining("sequence 10 is in the future")
          .hasMessageContaining("next sequence is 2");
    }
  }

  @Test
  void listenersGetEveryRecordInOrderAndTheDurableSequence() {
    List<Long> firsts = Collections.synchronizedList(new ArrayList<>());
    AtomicLong synced = new AtomicLong();
    Options opts = Options.builder().syncMode(SyncMode.IMMEDIATE).build();
    try (KevoDB db = KevoDB.open(dir, opts)) {
      db.put(b("before"), b("x"));
      try (WalSubscription sub =
          db.wal()
              .subscribe(
                  "test",
                  new WalListener() {
                    @Override
                    public void onRecord(WalRecord record) {
                      firsts.add(record.firstSequence());
                    }

                    @Override
                    public void onSync(long durableSequence) {
                      synced.set(durableSequence);
                    }
                  })) {
        for (int i = 0; i < 100; i++) {
          db.put(b("k" + i), b("v"));
        }
        db.write(new WriteBatch().put(b("x"), b("1")).put(b("y"), b("2")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> firsts.size() == 101);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> synced.get() == 103);
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 2; s <= 102; s++) {
        expected.add(s);
      }
      assertThat(firsts).isEqualTo(expected);
    }
  }

  @Test
  void inlineListenersGetEachRecordOnTheWritersThreadBeforeTheWriteReturns() throws Exception {
    List<WalRecord> records = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    AtomicLong synced = new AtomicLong();
    Options opts = Options.builder().syncMode(SyncMode.NONE).build();
    try (KevoDB db = KevoDB.open(dir, opts)) {
      db.put(b("before"), b("x"));
      WalListener listener =
          new WalListener() {
            @Override
            public void onRecord(WalRecord record) {
              records.add(record);
              threads.add(Thread.currentThread().getName());
              if (s(record.operations().get(0).key()).equals("boom")) {
                throw new IllegalStateException("a listener bug must not fail the write");
              }
            }

            @Override
            public void onSync(long durableSequence) {
              synced.set(durableSequence);
            }
          };
      try (WalSubscription sub = db.wal().subscribeInline(listener)) {
        Thread writer =
            new Thread(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    db.put(b("k" + i), b("v"));
                    // Delivered before put returned: the record is already there.
                    assertThat(records).hasSize(i + 1);
                  }
                },
                "the-writer");
        writer.start();
        writer.join(10_000);
        assertThat(records).hasSize(50);
        db.put(b("boom"), b("the listener throws"));
        db.write(new WriteBatch().put(b("x"), b("1")).delete(b("y")));
        assertThat(records).hasSize(52);
        WalRecord batch = records.get(51);
        assertThat(batch.batch()).isTrue();
        assertThat(batch.firstSequence()).isEqualTo(53);
        assertThat(batch.operations()).hasSize(2);
        assertThat(db.get(b("boom"))).isPresent();
        db.syncWal();
        assertThat(synced.get()).isEqualTo(54);
      }
      db.put(b("after"), b("x"));
      assertThat(records).hasSize(52);
    }
    List<Long> firsts = new ArrayList<>();
    for (WalRecord r : records) {
      firsts.add(r.firstSequence());
    }
    assertThat(firsts.subList(0, 50)).isEqualTo(rangeClosed(2, 51));
    assertThat(threads.subList(0, 50)).containsOnly("the-writer");
  }

  private static List<Long> rangeClosed(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }

  @Test
  void aStalledListenerNeitherBlocksWritersNorLosesTrackOfWhatItMissed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
    List<long[]> missed = Collections.synchronizedList(new ArrayList<>());
    try (KevoDB db = KevoDB.open(dir, Options.builder().syncMode(SyncMode.NONE).build());
        WalSubscription sub =
            db.wal()
                .subscribe(
                    "stalled",
                    new WalListener() {
                      @Override
                      public void onRecord(WalRecord record) {
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        delivered.add(record.firstSequence());
                      }

                      @Override
                      public void onSync(long durableSequence) {}

                      @Override
                      public void onMissed(long from, long to) {
                        missed.add(new long[] {from, to});
                      }
                    })) {
      int n = 40_000;
      for (int i = 0; i < n; i++) {
        db.put(b("k" + i), b("v"));
      }
      release.countDown();
      // Every sequence is accounted for exactly once: delivered, or inside a reported gap.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                long count = delivered.size();
                synchronized (missed) {
                  for (long[] m : missed) {
                    count += m[1] - m[0] + 1;
                  }
                }
                return count == n;
              });
      assertThat(missed).isNotEmpty();
      List<Long> all = new ArrayList<>(delivered);
      synchronized (missed) {
        for (long[] m : missed) {
          for (long s = m[0]; s <= m[1]; s++) {
            all.add(s);
          }
        }
      }
      Collections.sort(all);
      for (int i = 0; i < n; i++) {
        assertThat(all.get(i)).isEqualTo(i + 1L);
      }
    }
  }

  @Test
  void segmentsAreDeletedOnlyWhenPersistedAndNotHeld() throws Exception {
    try (KevoDB db = KevoDB.open(dir, SMALL_SEGMENTS)) {
      for (int i = 0; i < 600; i++) {
        db.put(b("k" + i), new byte[400]);
      }
      Wal wal = DbCoreAccess.wal(db);
      int before = wal.segments().size();
      assertThat(before).isGreaterThan(3);
      try (RetentionHold hold = db.wal().retain(1)) {
        assertThat(wal.deleteObsoleteSegments(600)).isZero();
        hold.advanceTo(300);
        int deleted = wal.deleteObsoleteSegments(600);
        assertThat(deleted).isPositive();
        assertThat(db.wal().firstRetainedSequence()).isLessThanOrEqualTo(300);
        assertThat(sequences(db.wal().readFrom(300)).get(0)).isEqualTo(300);
      }
      // Without holds, persistence alone decides; the live segment always stays.
      wal.deleteObsoleteSegments(450);
      assertThat(db.wal().firstRetainedSequence()).isGreaterThan(300).isLessThanOrEqualTo(451);
      assertThatThrownBy(() -> db.wal().readFrom(1)).hasMessageContaining("no longer retained");
      wal.deleteObsoleteSegments(Long.MAX_VALUE - 1);
      assertThat(wal.segments()).hasSize(1);
    }
  }
}
