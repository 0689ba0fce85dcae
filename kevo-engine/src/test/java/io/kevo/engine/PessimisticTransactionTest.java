package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static io.kevo.engine.TestData.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.internal.DbCoreAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pessimistic transactions: key locks held to the end, waits, timeouts, deadlocks. */
class PessimisticTransactionTest {
  @TempDir Path dir;

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static final TransactionOptions PESSIMISTIC = TransactionOptions.PESSIMISTIC;

  private static TransactionOptions pessimistic(Duration timeout) {
    return PESSIMISTIC.withLockTimeout(timeout);
  }

  private static long counter(Transaction t, String key) {
    return t.get(b(key)).map(v -> Long.parseLong(s(v))).orElse(0L);
  }

  /** Waits (up to 10 s) until {@code n} transactions wait for a key lock in {@code db}. */
  private static void untilWaiting(KevoDB db, int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> DbCoreAccess.lockWaiters(db) == n);
  }

  @Test
  void eightThreadsIncrementingOneCounterAllCommitAndNoIncrementIsLost() throws Exception {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    try (Transaction t = db.beginTransaction(PESSIMISTIC)) {
                      t.put(b("counter"), b(Long.toString(counter(t, "counter") + 1)));
                      t.commit(); // never a conflict: the lock serialises the increments
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get(120, TimeUnit.SECONDS);
      }
      assertThat(s(db.get(b("counter")).orElseThrow())).isEqualTo("1600");
      assertThat(DbCoreAccess.lockedKeys(db)).isZero();
    }
  }

  @Test
  void randomLockOrdersDeadlockSometimesButEveryRetriedIncrementLandsExactlyOnce()
      throws Exception {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      String[] keys = {"a", "b", "c"};
      AtomicLong deadlocks = new AtomicLong();
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Random random = new Random(1000 + w); // seeded: the key orders are reproducible
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    String first = keys[random.nextInt(3)];
                    String second =
                        keys[(List.of(keys).indexOf(first) + 1 + random.nextInt(2)) % 3];
                    while (true) {
                      try (Transaction t = db.beginTransaction(PESSIMISTIC)) {
                        t.put(b(first), b(Long.toString(counter(t, first) + 1)));
                        t.put(b(second), b(Long.toString(counter(t, second) + 1)));
                        t.commit();
                        break;
                      } catch (KevoException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK);
                        deadlocks.incrementAndGet(); // rolled back: run it again
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get(120, TimeUnit.SECONDS); // a missed deadlock would hang here (5 s timeouts fail it)
      }
      long sum = 0;
      for (String k : keys) {
        sum += Long.parseLong(s(db.get(b(k)).orElse(b("0"))));
      }
      assertThat(sum).isEqualTo(4 * 100 * 2);
      assertThat(DbCoreAccess.lockedKeys(db)).isZero();
    }
  }

  @Test
  void aTransactionThatWaitedReadsTheValueCommittedBeforeItGotTheLock() throws Exception {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      db.put(b("counter"), b("0"));
      Transaction first = db.beginTransaction(PESSIMISTIC);
      Transaction second = db.beginTransaction(PESSIMISTIC);
      long secondBegan = second.snapshotSequence();
      long seen = counter(first, "counter");
      Future<Long> secondSees = pool.submit(() -> counter(second, "counter"));
      untilWaiting(db, 1);
      first.put(b("counter"), b(Long.toString(seen + 1)));
      long committed = first.commit();

      // second began before first committed, yet reads first's write once it holds the lock
      assertThat(committed).isGreaterThan(secondBegan);
      long got = secondSees.get(10, TimeUnit.SECONDS);
      assertThat(got).isEqualTo(1);
      assertThat(second.snapshotSequence()).isGreaterThanOrEqualTo(committed);
      second.put(b("counter"), b(Long.toString(got + 1)));
      second.commit();
      assertThat(s(db.get(b("counter")).orElseThrow())).isEqualTo("2");
    }
  }

  @Test
  void optimisticTransactionsStillLetTheFirstCommitterWin() {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      db.put(b("counter"), b("0"));
      Transaction first = db.beginTransaction();
      Transaction second = db.beginTransaction();
      first.put(b("counter"), b(Long.toString(counter(first, "counter") + 1)));
      second.put(b("counter"), b(Long.toString(counter(second, "counter") + 1)));
      first.commit();
      assertThatThrownBy(second::commit).isInstanceOf(TransactionConflictException.class);
      assertThat(s(db.get(b("counter")).orElseThrow())).isEqualTo("1");
    }
  }

  @Test
  void aLockTimeoutRollsTheWaiterBackAndFreesWhatItHeld() throws Exception {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      Transaction holder = db.beginTransaction(PESSIMISTIC);
      holder.put(b("k"), b("holder"));
      Transaction waiter = db.beginTransaction(pessimistic(Duration.ofMillis(100)));
      waiter.put(b("other"), b("waiter"));
      assertThatThrownBy(() -> waiter.get(b("k")))
          .isInstanceOfSatisfying(
              KevoException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                assertThat(e.retriable()).isTrue();
              })
          .hasMessageContaining("lock wait timeout on key \"k\" held by another transaction")
          .hasMessageEndingWith("transaction " + waiter.id() + " was rolled back, run it again");
      assertThatThrownBy(() -> waiter.put(b("x"), b("y")))
          .hasMessageContaining("was rolled back; begin a new one");
      // its lock on "other" is gone: a no-wait transaction takes it at once
      try (Transaction third = db.beginTransaction(pessimistic(Duration.ZERO))) {
        third.put(b("other"), b("third"));
        third.commit();
      }
      holder.commit();
      assertThat(s(db.get(b("k")).orElseThrow())).isEqualTo("holder");
    }
  }

  @Test
  void aDeadlockAbortsTheTransactionThatClosesItAndTheOtherCommits() throws Exception {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      Transaction t1 = db.beginTransaction(PESSIMISTIC);
      Transaction t2 = db.beginTransaction(PESSIMISTIC);
      t1.put(b("a"), b("t1"));
      t2.put(b("b"), b("t2"));
      Future<Long> t2Done =
          pool.submit(
              () -> {
                t2.delete(b("a"));
                return t2.commit();
              });
      untilWaiting(db, 1);
      assertThatThrownBy(() -> t1.get(b("b")))
          .isInstanceOfSatisfying(
              KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK))
          .hasMessageStartingWith("deadlock: transaction " + t1.id() + " would wait for key \"b\"")
          .hasMessageEndingWith("transaction " + t1.id() + " was rolled back, run it again");
      t2Done.get(10, TimeUnit.SECONDS);
      assertThat(db.get(b("a"))).isEmpty();
      assertThat(s(db.get(b("b")).orElseThrow())).isEqualTo("t2");
      t1.close(); // already rolled back: nothing to do
    }
  }

  @Test
  void rollbackAndCloseReleaseTheLocks() throws Exception {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      TransactionOptions noWait = pessimistic(Duration.ZERO);
      Transaction t1 = db.beginTransaction(PESSIMISTIC);
      t1.get(b("k"));
      assertThatThrownBy(() -> db.beginTransaction(noWait).get(b("k")))
          .hasMessageContaining("lock wait timeout");
      t1.rollback();
      Transaction t2 = db.beginTransaction(noWait);
      t2.put(b("k"), b("v"));
      t2.close();
      try (Transaction t3 = db.beginTransaction(noWait)) {
        assertThat(t3.get(b("k"))).isEmpty();
      }
      assertThat(DbCoreAccess.lockedKeys(db)).isZero();
    }
  }

  @Test
  void closingTheDatabaseWakesAWaiterWithClosed() throws Exception {
    KevoDB db = KevoDB.open(dir, LsmTest.SMALL);
    Transaction holder = db.beginTransaction(PESSIMISTIC);
    holder.put(b("k"), b("v"));
    Transaction waiter = db.beginTransaction(PESSIMISTIC);
    Future<?> waiting = pool.submit(() -> waiter.get(b("k")));
    untilWaiting(db, 1);
    db.close();
    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
    holder.close();
  }

  @Test
  void readOnlyTransactionsNeverLock() throws Exception {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      db.put(b("k"), b("old"));
      try (Transaction holder = db.beginTransaction(PESSIMISTIC)) {
        holder.put(b("k"), b("new"));
        try (Transaction reader =
            db.beginTransaction(
                TransactionOptions.READ_ONLY
                    .withMode(TransactionMode.PESSIMISTIC)
                    .withLockTimeout(Duration.ZERO))) {
          assertThat(s(reader.get(b("k")).orElseThrow())).isEqualTo("old");
        }
        assertThat(DbCoreAccess.lockedKeys(db)).isEqualTo(1);
      }
    }
  }

  @Test
  void aWriterThatTakesNoLocksStillMakesTheLockHolderConflict() {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      db.put(b("k"), b("1"));
      Transaction t = db.beginTransaction(PESSIMISTIC);
      long read = counter(t, "k");
      db.put(b("k"), b("100")); // a plain put does not wait for the lock
      t.put(b("k"), b(Long.toString(read + 1)));
      assertThatThrownBy(t::commit)
          .isInstanceOf(TransactionConflictException.class)
          .hasMessageContaining(
              "wrote and locked a key that a writer taking no locks committed after it");
      assertThat(s(db.get(b("k")).orElseThrow())).isEqualTo("100");
    }
  }

  @Test
  void aSerializablePessimisticScanIsCheckedFromWhereItRead() {
    try (KevoDB db = KevoDB.open(dir, LsmTest.SMALL)) {
      TransactionOptions o =
          new TransactionOptions(false, Isolation.SERIALIZABLE, 1 << 20)
              .withMode(TransactionMode.PESSIMISTIC);
      Transaction t = db.beginTransaction(o);
      t.put(b("a"), b("1"));
      try (KevoIterator it = t.scan(ScanOptions.builder().prefix(b("p")).build())) {
        assertThat(it.hasNext()).isFalse();
      }
      db.put(b("p1"), b("x"));
      assertThatThrownBy(t::commit)
          .isInstanceOf(TransactionConflictException.class)
          .hasMessageContaining("scanned a range in which another writer");
    }
  }

  @Test
  void modesParseByNameAndOptionsCheckTheTimeout() {
    assertThat(TransactionMode.parse(" Pessimistic ")).isEqualTo(TransactionMode.PESSIMISTIC);
    assertThat(TransactionMode.parse("optimistic")).isEqualTo(TransactionMode.OPTIMISTIC);
    assertThat(TransactionMode.PESSIMISTIC.wireName()).isEqualTo("pessimistic");
    assertThatThrownBy(() -> TransactionMode.parse("blocking"))
        .hasMessage("transaction mode must be optimistic or pessimistic, got 'blocking'");
    assertThatThrownBy(() -> TransactionMode.parse(null)).isInstanceOf(KevoException.class);
    assertThatThrownBy(() -> PESSIMISTIC.withLockTimeout(Duration.ofMillis(-1)))
        .hasMessageContaining("lockTimeout must be between 0 and");
    assertThatThrownBy(() -> PESSIMISTIC.withLockTimeout(Duration.ofHours(2)))
        .isInstanceOf(KevoException.class);
    assertThat(TransactionOptions.DEFAULT.mode()).isEqualTo(TransactionMode.OPTIMISTIC);
    assertThat(TransactionOptions.DEFAULT.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(PESSIMISTIC.locking()).isTrue();
    assertThat(TransactionOptions.READ_ONLY.withMode(TransactionMode.PESSIMISTIC).locking())
        .isFalse();
    assertThat(PESSIMISTIC.withMinSequence(7).mode()).isEqualTo(TransactionMode.PESSIMISTIC);
  }
}
