package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KevoDBTest {
  @TempDir Path dir;

  private static List<String> keys(KevoIterator it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(s(kv.key()) + "=" + s(kv.value())));
    }
    return out;
  }

  @Test
  void putGetDeleteRoundTripWithSequences() {
    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.latestSequence()).isZero();
      assertThat(db.put(b("a"), b("1"))).isEqualTo(1);
      assertThat(db.put(b("b"), b("2"))).isEqualTo(2);
      assertThat(db.get(b("a"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("1"));
      assertThat(db.delete(b("a"))).isEqualTo(3);
      assertThat(db.get(b("a"))).isEmpty();
      assertThat(db.get(b("zz"))).isEmpty();
      assertThat(db.latestSequence()).isEqualTo(3);
    }
  }

  @Test
  void emptyValueIsAValueNotADelete() {
    try (KevoDB db = KevoDB.open(dir)) {
      db.put(b("k"), new byte[0]);
      assertThat(db.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
    }
    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
      assertThat(keys(db.scan(ScanOptions.ALL))).containsExactly("k=");
    }
  }

  @Test
  void batchIsAtomicWithConsecutiveSequencesAndSurvivesReopen() {
    try (KevoDB db = KevoDB.open(dir)) {
      db.put(b("x"), b("old"));
      WriteBatch batch = new WriteBatch().put(b("a"), b("1")).delete(b("x")).put(b("b"), b("2"));
      assertThat(db.write(batch)).isEqualTo(4);
      assertThat(db.latestSequence()).isEqualTo(4);
      assertThat(db.write(new WriteBatch())).isEqualTo(4);
    }
    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.latestSequence()).isEqualTo(4);
      assertThat(keys(db.scan(ScanOptions.ALL))).containsExactly("a=1", "b=2");
      assertThat(db.stats().recoveredRecords()).isEqualTo(2);
      assertThat(db.stats().recoveredOperations()).isEqualTo(4);
      assertThat(db.put(b("c"), b("3"))).isEqualTo(5);
    }
  }

  @Test
  void sequencesContinueAcrossSegmentRotationAndRestarts() {
    Options opts = Options.builder().segmentSize(64 * 1024).build();
    byte[] value = new byte[1000];
    long last = 0;
    for (int round = 0; round < 3; round++) {
      try (KevoDB db = KevoDB.open(dir, opts)) {
        assertThat(db.latestSequence()).isEqualTo(last);
        for (int i = 0; i < 200; i++) {
          last = db.put(b("k" + round + "-" + i), value);
        }
        assertThat(db.stats().walSegments()).isGreaterThan(2);
      }
    }
    assertThat(last).isEqualTo(600);
    try (KevoDB db = KevoDB.open(dir, opts)) {
      assertThat(db.latestSequence()).isEqualTo(600);
      assertThat(db.get(b("k0-0"))).isPresent();
      assertThat(db.get(b("k2-199"))).isPresent();
    }
  }

  @Test
  void scanHonoursRangeAndPrefixAndSkipsDeletedAndOldVersions() {
    try (KevoDB db = KevoDB.open(dir)) {
      for (String k : List.of("apple", "apricot", "banana", "blueberry", "cherry")) {
        db.put(b(k), b("v1"));
      }
      db.put(b("banana"), b("v2"));
      db.delete(b("apricot"));
      assertThat(keys(db.scan(ScanOptions.ALL)))
          .containsExactly("apple=v1", "banana=v2", "blueberry=v1", "cherry=v1");
      assertThat(keys(db.scan(ScanOptions.prefix(b("b")))))
          .containsExactly("banana=v2", "blueberry=v1");
      assertThat(keys(db.scan(ScanOptions.range(b("apricot"), b("blueberry")))))
          .containsExactly("banana=v2");
      assertThat(keys(db.scan(ScanOptions.range(null, b("b"))))).containsExactly("apple=v1");
      assertThat(keys(db.scan(ScanOptions.range(b("c"), null)))).containsExactly("cherry=v1");
      assertThat(keys(db.scan(ScanOptions.prefix(b("zzz"))))).isEmpty();
    }
  }

  @Test
  void scanDoesNotSeeWritesMadeAfterItStarted() {
    try (KevoDB db = KevoDB.open(dir)) {
      db.put(b("a"), b("1"));
      db.put(b("c"), b("1"));
      try (KevoIterator it = db.scan(ScanOptions.ALL)) {
        db.put(b("b"), b("new"));
        db.put(b("c"), b("2"));
        List<String> seen = new ArrayList<>();
        it.forEachRemaining(kv -> seen.add(s(kv.key()) + "=" + s(kv.value())));
        assertThat(seen).containsExactly("a=1", "c=1");
      }
    }
  }

  @Test
  void rejectsOversizedAndEmptyKeysAndOversizedValuesWithoutWriting() {
    Options opts = Options.builder().maxKeySize(8).maxValueSize(16).build();
    try (KevoDB db = KevoDB.open(dir, opts)) {
      assertThatThrownBy(() -> db.put(b("123456789"), b("v")))
          .isInstanceOf(KevoException.class)
          .hasMessageContaining("key of 9 bytes exceeds the limit of 8")
          .extracting(e -> ((KevoException) e).code())
          .isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThatThrownBy(() -> db.put(b("k"), new byte[17]))
          .hasMessageContaining("value of 17 bytes exceeds the limit of 16");
      assertThatThrownBy(() -> db.put(new byte[0], b("v"))).hasMessageContaining("empty");
      assertThatThrownBy(
              () -> db.write(new WriteBatch().put(b("ok"), b("v")).put(b("k"), new byte[17])))
          .hasMessageContaining("exceeds");
      assertThat(db.get(b("ok"))).isEmpty();
      assertThat(db.latestSequence()).isZero();
    }
  }

  @Test
  void optionsValidateAndNameTheBadValue() {
    assertThatThrownBy(() -> Options.builder().segmentSize(10))
        .isInstanceOf(KevoException.class)
        .hasMessageContaining("segmentSize");
    assertThatThrownBy(() -> Options.builder().maxKeySize(0)).hasMessageContaining("maxKeySize");
    Options o = Options.builder().syncMode(SyncMode.IMMEDIATE).build();
    assertThat(o.toBuilder().build().syncMode()).isEqualTo(SyncMode.IMMEDIATE);
    assertThat(Options.DEFAULT.segmentSize()).isEqualTo(64L << 20);
    assertThat(Options.DEFAULT.maxKeySize()).isEqualTo(64 << 10);
    assertThat(Options.DEFAULT.maxValueSize()).isEqualTo(64 << 20);
  }

  @Test
  void secondOpenerInTheSameProcessFailsCleanlyAndFirstKeepsWorking() {
    try (KevoDB db = KevoDB.open(dir)) {
      db.put(b("a"), b("1"));
      assertThatThrownBy(() -> KevoDB.open(dir))
          .isInstanceOf(KevoException.class)
          .hasMessageContaining("already open")
          .extracting(e -> ((KevoException) e).code())
          .isEqualTo(ErrorCode.LOCKED);
      db.put(b("b"), b("2"));
    }
    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.latestSequence()).isEqualTo(2);
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailWithClosed() {
    KevoDB db = KevoDB.open(dir);
    db.put(b("a"), b("1"));
    db.close();
    db.close();
    assertThatThrownBy(() -> db.put(b("a"), b("2")))
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CLOSED);
    assertThatThrownBy(() -> db.get(b("a")))
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CLOSED);
  }

  @Test
  void concurrentSyncedWritersShareFsyncsAndAllLand() throws Exception {
    Options opts = Options.builder().syncMode(SyncMode.IMMEDIATE).build();
    int threads = 8;
    int perThread = 200;
    try (KevoDB db = KevoDB.open(dir, opts)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    db.put(b(id + "-" + i), b("v" + i));
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      DbStats st = db.stats();
      assertThat(st.latestSequence()).isEqualTo(threads * perThread);
      assertThat(st.durableSequence()).isEqualTo(threads * perThread);
      assertThat(st.walSyncs()).isLessThan(threads * perThread);
      assertThat(st.walGroupCommits()).isLessThan(threads * perThread);
    }
    try (KevoDB db = KevoDB.open(dir, opts)) {
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          assertThat(db.get(b(t + "-" + i))).isPresent();
        }
      }
    }
  }

  @Test
  void batchModeSyncsWithinTheIntervalWithoutFurtherWrites() {
    Options opts =
        Options.builder()
            .syncMode(SyncMode.BATCH)
            .batchSyncInterval(java.time.Duration.ofMillis(20))
            .build();
    try (KevoDB db = KevoDB.open(dir, opts)) {
      long seq = db.put(b("a"), b("1"));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> db.stats().durableSequence() >= seq);
    }
  }

  @Test
  void batchModeSyncsWhenTheByteThresholdIsReached() {
    Options opts =
        Options.builder()
            .syncMode(SyncMode.BATCH)
            .batchSyncBytes(4096)
            .batchSyncInterval(java.time.Duration.ofSeconds(60))
            .build();
    try (KevoDB db = KevoDB.open(dir, opts)) {
      long seq = 0;
      for (int i = 0; i < 10; i++) {
        seq = db.put(b("k" + i), new byte[1000]);
      }
      DbStats st = db.stats();
      assertThat(st.walSyncs()).isGreaterThanOrEqualTo(2);
      assertThat(st.durableSequence()).isGreaterThan(0).isLessThanOrEqualTo(seq);
    }
  }

  @Test
  void noneModeNeverSyncsOnItsOwnButSyncWriteOptionDoes() {
    Options opts = Options.builder().syncMode(SyncMode.NONE).build();
    try (KevoDB db = KevoDB.open(dir, opts)) {
      db.put(b("a"), b("1"));
      db.put(b("b"), b("1"));
      assertThat(db.stats().walSyncs()).isZero();
      assertThat(db.stats().walSyncNanos()).isZero();
      long s = db.put(b("c"), b("1"), WriteOptions.SYNC);
      assertThat(db.stats().walSyncs()).isEqualTo(1);
      assertThat(db.stats().walSyncNanos()).isPositive();
      assertThat(db.stats().durableSequence()).isEqualTo(s);
    }
  }

  @Test
  void largeValuesSpanningManyFragmentsRoundTrip() {
    byte[] big = new byte[(3 << 20) + 17];
    new java.util.Random(7).nextBytes(big);
    try (KevoDB db = KevoDB.open(dir)) {
      db.put(b("big"), big);
    }
    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.get(b("big"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(big));
    }
  }
}
