package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionTest {
  @TempDir Path dir;

  private static final Options OPTS = LsmTest.SMALL;

  private static List<String> all(KevoIterator it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(s(kv.key()) + "=" + s(kv.value())));
    }
    return out;
  }

  @Test
  void readsItsOwnWritesAndRollbackLeavesNoTrace() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      db.put(b("a"), b("1"));
      db.put(b("c"), b("3"));
      try (Transaction t = db.beginTransaction()) {
        t.put(b("b"), b("2"));
        t.delete(b("c"));
        t.put(b("a"), b("one"));
        assertThat(t.get(b("b"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("2"));
        assertThat(t.get(b("c"))).isEmpty();
        assertThat(all(t.scan(ScanOptions.ALL))).containsExactly("a=one", "b=2");
        assertThat(all(t.scan(ScanOptions.builder().reverse(true).build())))
            .containsExactly("b=2", "a=one");
        assertThat(db.get(b("b"))).isEmpty();
        t.rollback();
      }
      assertThat(all(db.scan(ScanOptions.ALL))).containsExactly("a=1", "c=3");
    }
  }

  @Test
  void theSnapshotStaysStableWhileOthersCommitAndFlushAndCompact() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      for (int i = 0; i < 500; i++) {
        db.put(b("k" + i), b("old"));
      }
      try (Transaction t = db.beginTransaction(TransactionOptions.READ_ONLY)) {
        for (int i = 0; i < 500; i++) {
          db.put(b("k" + i), b("new"));
        }
        db.compactRange(null, null);
        assertThat(t.get(b("k7"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("old"));
        assertThat(all(t.scan(ScanOptions.ALL))).hasSize(500).allMatch(x -> x.endsWith("=old"));
        assertThat(t.commit()).isEqualTo(t.snapshotSequence());
      }
    }
  }

  @Test
  void firstCommitterWinsAndTheLoserWritesNothing() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      Transaction t1 = db.beginTransaction();
      Transaction t2 = db.beginTransaction();
      t1.put(b("x"), b("t1"));
      t2.put(b("x"), b("t2"));
      t2.put(b("y"), b("t2"));
      t1.commit();
      assertThatThrownBy(t2::commit)
          .isInstanceOf(TransactionConflictException.class)
          .hasMessageContaining("\"x\"")
          .satisfies(e -> assertThat(((KevoException) e).retriable()).isTrue())
          .satisfies(e -> assertThat(((TransactionConflictException) e).key()).isEqualTo(b("x")));
      assertThat(db.get(b("x"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("t1"));
      assertThat(db.get(b("y"))).isEmpty();
      assertThatThrownBy(() -> t2.put(b("z"), b("1")))
          .extracting(e -> ((KevoException) e).code())
          .isEqualTo(ErrorCode.CLOSED);
    }
  }

  @Test
  void plainWritesAfterTheSnapshotConflictWithATransactionWritingTheSameKey() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      try (Transaction t = db.beginTransaction()) {
        t.put(b("k"), b("txn"));
        db.put(b("k"), b("plain"));
        assertThatThrownBy(t::commit).isInstanceOf(TransactionConflictException.class);
      }
      try (Transaction t = db.beginTransaction()) {
        t.put(b("k"), b("txn"));
        db.put(b("other"), b("plain"));
        t.commit();
      }
      assertThat(db.get(b("k"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("txn"));
    }
  }

  @Test
  void conflictsAreFoundInSstablesToo() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      try (Transaction t = db.beginTransaction()) {
        t.put(b("k"), b("txn"));
        db.put(b("k"), b("plain"));
        for (int i = 0; i < 3000; i++) {
          db.put(b("filler" + i), new byte[100]);
        }
        db.compactRange(null, null);
        assertThat(db.stats().sstableCount()).isPositive();
        assertThatThrownBy(t::commit).isInstanceOf(TransactionConflictException.class);
      }
    }
  }

  @Test
  void writeSkewIsRejectedUnderSerializableAndAllowedUnderSnapshot() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      // Invariant the application wants: at least one doctor on call.
      db.put(b("alice"), b("on"));
      db.put(b("bob"), b("on"));
      for (Isolation iso : Isolation.values()) {
        db.put(b("alice"), b("on"));
        db.put(b("bob"), b("on"));
        TransactionOptions o = new TransactionOptions(false, iso, 1 << 20);
        Transaction t1 = db.beginTransaction(o);
        Transaction t2 = db.beginTransaction(o);
        assertThat(t1.get(b("bob"))).isPresent();
        t1.put(b("alice"), b("off"));
        assertThat(t2.get(b("alice"))).isPresent();
        t2.put(b("bob"), b("off"));
        t1.commit();
        if (iso == Isolation.SERIALIZABLE) {
          assertThatThrownBy(t2::commit).isInstanceOf(TransactionConflictException.class);
          assertThat(db.get(b("bob"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("on"));
        } else {
          t2.commit(); // documented: snapshot isolation allows write skew
          assertThat(db.get(b("bob"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("off"));
        }
      }
    }
  }

  @Test
  void serializableScansConflictWithInsertsIntoTheScannedRange() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      db.put(b("job:1"), b("x"));
      try (Transaction t = db.beginTransaction(TransactionOptions.SERIALIZABLE)) {
        assertThat(all(t.scan(ScanOptions.prefix(b("job:"))))).hasSize(1);
        t.put(b("count"), b("1"));
        db.put(b("job:2"), b("y"));
        assertThatThrownBy(t::commit).isInstanceOf(TransactionConflictException.class);
      }
      try (Transaction t = db.beginTransaction(TransactionOptions.SERIALIZABLE)) {
        assertThat(all(t.scan(ScanOptions.prefix(b("job:"))))).hasSize(2);
        t.put(b("count"), b("2"));
        db.put(b("zzz"), b("outside the range"));
        t.commit();
      }
    }
  }

  @Test
  void readOnlyTransactionsRefuseWritesAndNeverConflict() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      try (Transaction t = db.beginTransaction(TransactionOptions.READ_ONLY)) {
        assertThat(t.readOnly()).isTrue();
        assertThatThrownBy(() -> t.put(b("a"), b("1"))).hasMessageContaining("read-only");
        db.put(b("a"), b("2"));
        t.get(b("a"));
        t.commit();
      }
    }
  }

  @Test
  void theWriteBufferIsBoundedWithAClearError() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      try (Transaction t =
          db.beginTransaction(new TransactionOptions(false, Isolation.SNAPSHOT, 1000))) {
        t.put(b("a"), new byte[500]);
        t.put(b("a"), new byte[900]);
        assertThatThrownBy(() -> t.put(b("b"), new byte[200]))
            .extracting(e -> ((KevoException) e).code())
            .isEqualTo(ErrorCode.TRANSACTION_TOO_LARGE);
        t.commit();
      }
      assertThat(db.get(b("a"))).hasValueSatisfying(v -> assertThat(v).hasSize(900));
    }
  }

  @Test
  void everyCallAfterCommitOrRollbackFailsClearly() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      Transaction t = db.beginTransaction();
      t.put(b("a"), b("1"));
      t.commit();
      assertThatThrownBy(() -> t.get(b("a"))).hasMessageContaining("was committed");
      assertThatThrownBy(t::commit).hasMessageContaining("was committed");
      assertThatThrownBy(t::rollback).hasMessageContaining("was committed");
      t.close();
      Transaction r = db.beginTransaction();
      r.rollback();
      assertThatThrownBy(() -> r.scan(ScanOptions.ALL)).hasMessageContaining("rolled back");
    }
  }

  @Test
  void concurrentIncrementsLoseNoUpdate() throws Exception {
    int threads = 8;
    int counters = 4;
    AtomicLong commits = new AtomicLong();
    WriteHistory history = new WriteHistory();
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> fs = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        int seed = th;
        fs.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed);
                  for (int i = 0; i < 300; i++) {
                    String k = "counter" + rnd.nextInt(counters);
                    while (true) {
                      try (Transaction t = db.beginTransaction()) {
                        long v = increment(t, k);
                        long seq = t.commit();
                        history.transaction(k, t.snapshotSequence(), v, v + 1, seq, "t" + seed);
                        commits.incrementAndGet();
                        break;
                      } catch (TransactionConflictException retry) {
                        // someone else committed first: run it again
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      long sum = 0;
      for (int c = 0; c < counters; c++) {
        sum += db.get(b("counter" + c)).map(x -> ByteBuffer.wrap(x).getLong()).orElse(0L);
      }
      // The history names the transactions behind a lost update (the sums below only count it).
      assertThat(history.violations(0)).isEmpty();
      assertThat(commits.get()).isEqualTo(threads * 300L);
      assertThat(sum).isEqualTo(commits.get());
    }
  }

  @Test
  void concurrentTransactionsConflictWithPlainPutsCommittedAfterTheirSnapshot() throws Exception {
    int threads = 6;
    int keys = 4;
    WriteHistory history = new WriteHistory();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong conflicts = new AtomicLong();
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
      List<Future<?>> txs = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        int seed = th;
        txs.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed);
                  for (int i = 0; i < 200; i++) {
                    String k = "k" + rnd.nextInt(keys);
                    while (true) {
                      try (Transaction t = db.beginTransaction()) {
                        long v = increment(t, k);
                        long seq = t.commit();
                        history.transaction(k, t.snapshotSequence(), v, v + 1, seq, "t" + seed);
                        break;
                      } catch (TransactionConflictException retry) {
                        conflicts.incrementAndGet();
                      }
                    }
                  }
                }));
      }
      List<Future<?>> putters = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        int seed = 100 + p;
        putters.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed);
                  // Values no increment produces: -1, -2, ... for the first putter, then -1M...
                  long next = -1 - (seed - 100) * 1_000_000L;
                  while (!stop.get()) {
                    String k = "k" + rnd.nextInt(keys);
                    long v = next--;
                    long seq = db.put(b(k), ByteBuffer.allocate(8).putLong(v).array());
                    history.put(k, v, seq, "p" + seed);
                    Thread.yield();
                  }
                }));
      }
      for (Future<?> f : txs) {
        f.get();
      }
      stop.set(true);
      for (Future<?> f : putters) {
        f.get();
      }
      pool.shutdown();
      assertThat(conflicts.get()).isPositive();
      assertThat(history.violations(0)).isEmpty();
    }
  }

  /** Reads {@code key} (0 if absent) and writes it plus one; returns what it read. */
  private static long increment(Transaction t, String key) {
    long v = t.get(b(key)).map(x -> ByteBuffer.wrap(x).getLong()).orElse(0L);
    t.put(b(key), ByteBuffer.allocate(8).putLong(v + 1).array());
    return v;
  }

  @Test
  void bankTransfersKeepTheTotalInEverySnapshotAndAfterReopen() throws Exception {
    int accounts = 100;
    long initial = 1000;
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      for (int a = 0; a < accounts; a++) {
        db.put(account(a), ByteBuffer.allocate(8).putLong(initial).array());
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong transfers = new AtomicLong();
      AtomicLong audits = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(9);
      List<Future<?>> fs = new ArrayList<>();
      for (int th = 0; th < 8; th++) {
        int seed = th;
        fs.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed);
                  while (!stop.get()) {
                    int from = rnd.nextInt(accounts);
                    int to = rnd.nextInt(accounts);
                    if (from == to) {
                      continue;
                    }
                    long amount = 1 + rnd.nextInt(50);
                    try (Transaction t = db.beginTransaction()) {
                      long f = balance(t, from);
                      long g = balance(t, to);
                      t.put(account(from), ByteBuffer.allocate(8).putLong(f - amount).array());
                      t.put(account(to), ByteBuffer.allocate(8).putLong(g + amount).array());
                      t.commit();
                      transfers.incrementAndGet();
                    } catch (TransactionConflictException retry) {
                      // lost the race: pick another transfer
                    }
                  }
                }));
      }
      fs.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  try (Transaction t = db.beginTransaction(TransactionOptions.READ_ONLY)) {
                    assertThat(total(t.scan(ScanOptions.prefix(b("acct:")))))
                        .isEqualTo(accounts * initial);
                    audits.incrementAndGet();
                  }
                }
              }));
      // Let the transfers and audits run for three seconds.
      assertThat(
              new java.util.concurrent.CountDownLatch(1)
                  .await(3, java.util.concurrent.TimeUnit.SECONDS))
          .isFalse();
      stop.set(true);
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      assertThat(transfers.get()).isPositive();
      assertThat(audits.get()).isPositive();
      assertThat(total(db.scan(ScanOptions.prefix(b("acct:"))))).isEqualTo(accounts * initial);
    }
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      assertThat(total(db.scan(ScanOptions.prefix(b("acct:"))))).isEqualTo(accounts * initial);
    }
  }

  private static byte[] account(int a) {
    return b(String.format("acct:%03d", a));
  }

  private static long balance(Transaction t, int a) {
    return ByteBuffer.wrap(t.get(account(a)).orElseThrow()).getLong();
  }

  private static long total(KevoIterator it) {
    long sum = 0;
    try (it) {
      while (it.hasNext()) {
        sum += ByteBuffer.wrap(it.next().value()).getLong();
      }
    }
    return sum;
  }
}
