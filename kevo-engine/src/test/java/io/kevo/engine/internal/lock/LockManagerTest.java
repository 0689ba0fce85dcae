package io.kevo.engine.internal.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LockManagerTest {
  private static final long LONG = TimeUnit.SECONDS.toNanos(30);

  private final LockManager locks = new LockManager();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    locks.close();
    pool.shutdownNow();
  }

  private static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Waits (up to 10 s) until {@code condition} holds: a thread has reached a lock wait. */
  private static void until(BooleanSupplier condition) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(1))
        .until(condition::getAsBoolean);
  }

  private Future<Boolean> lockInBackground(LockOwner o, String key, long timeoutNanos) {
    return pool.submit(() -> locks.lock(o, k(key), timeoutNanos));
  }

  @Test
  void aLockIsReentrantForItsOwnerAndReleasedOnce() {
    LockOwner a = locks.owner(1);
    assertThat(locks.lock(a, k("x"), 0)).isTrue();
    assertThat(locks.lock(a, k("x"), 0)).isFalse();
    assertThat(locks.lock(a, k("y"), 0)).isTrue();
    assertThat(locks.lockedKeys()).isEqualTo(2);
    locks.releaseAll(a);
    locks.releaseAll(a);
    assertThat(locks.lockedKeys()).isZero();
    assertThat(locks.lock(locks.owner(2), k("x"), 0)).isTrue();
  }

  @Test
  void aReleasedKeyGoesToWaitersInArrivalOrder() throws Exception {
    LockOwner a = locks.owner(1);
    LockOwner b = locks.owner(2);
    LockOwner c = locks.owner(3);
    locks.lock(a, k("x"), 0);
    Future<Boolean> bGot = lockInBackground(b, "x", LONG);
    until(() -> locks.waiting() == 1);
    Future<Boolean> cGot = lockInBackground(c, "x", LONG);
    until(() -> locks.waiting() == 2);

    locks.releaseAll(a);
    assertThat(bGot.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cGot.isDone()).isFalse();
    assertThat(locks.waiting()).isEqualTo(1);

    locks.releaseAll(b);
    assertThat(cGot.get(10, TimeUnit.SECONDS)).isTrue();
    locks.releaseAll(c);
    assertThat(locks.lockedKeys()).isZero();
  }

  @Test
  void aWaitLongerThanTheTimeoutFailsAndLeavesTheHolderAlone() {
    LockOwner a = locks.owner(1);
    LockOwner b = locks.owner(2);
    locks.lock(a, k("x"), 0);
    locks.lock(b, k("mine"), 0);
    long start = System.nanoTime();
    assertThatThrownBy(() -> locks.lock(b, k("x"), TimeUnit.MILLISECONDS.toNanos(100)))
        .isInstanceOfSatisfying(
            KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT))
        .hasMessageContaining("lock wait timeout on key \"x\" held by another transaction (1)");
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(locks.waiting()).isZero();
    // b keeps what it held; a still holds x
    assertThat(locks.lock(b, k("mine"), 0)).isFalse();
    assertThatThrownBy(() -> locks.lock(locks.owner(3), k("x"), 0))
        .hasMessageContaining("lock wait timeout");
  }

  @Test
  void twoTransactionsLockingInOppositeOrderAbortTheOneThatClosesTheCycle() throws Exception {
    LockOwner a = locks.owner(1);
    LockOwner b = locks.owner(2);
    locks.lock(a, k("a"), 0);
    locks.lock(b, k("b"), 0);
    Future<Boolean> bGotA = lockInBackground(b, "a", LONG);
    until(() -> locks.waiting() == 1);

    long start = System.nanoTime();
    assertThatThrownBy(() -> locks.lock(a, k("b"), LONG))
        .isInstanceOfSatisfying(
            KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK))
        .hasMessage(
            "deadlock: transaction 1 would wait for key \"b\" held by transaction 2, which waits"
                + " for key \"a\" held by transaction 1; transaction 1 closed the cycle and is"
                + " aborted");
    // at once, not after the 30 s timeout
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(bGotA.isDone()).isFalse();

    locks.releaseAll(a); // what the aborted transaction's rollback does
    assertThat(bGotA.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCycleOfThreeIsFoundByTheThirdToWait() throws Exception {
    LockOwner a = locks.owner(1);
    LockOwner b = locks.owner(2);
    LockOwner c = locks.owner(3);
    locks.lock(a, k("a"), 0);
    locks.lock(b, k("b"), 0);
    locks.lock(c, k("c"), 0);
    Future<Boolean> bGotC = lockInBackground(b, "c", LONG);
    until(() -> locks.waiting() == 1);
    Future<Boolean> cGotA = lockInBackground(c, "a", LONG);
    until(() -> locks.waiting() == 2);

    assertThatThrownBy(() -> locks.lock(a, k("b"), LONG))
        .isInstanceOfSatisfying(
            KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLOCK))
        .hasMessageContaining(
            "held by transaction 2, which waits for key \"c\" held by transaction 3, which waits"
                + " for key \"a\" held by transaction 1");

    locks.releaseAll(a);
    assertThat(cGotA.get(10, TimeUnit.SECONDS)).isTrue();
    locks.releaseAll(c);
    assertThat(bGotC.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void waitingBehindAnotherWaiterIsNoDeadlock() throws Exception {
    LockOwner a = locks.owner(1);
    LockOwner b = locks.owner(2);
    LockOwner c = locks.owner(3);
    locks.lock(a, k("a"), 0);
    Future<Boolean> bGotA = lockInBackground(b, "a", LONG);
    until(() -> locks.waiting() == 1);
    // c waits for b's wait to end: a chain, not a cycle
    locks.lock(c, k("c"), 0);
    Future<Boolean> cGotA = lockInBackground(c, "a", LONG);
    until(() -> locks.waiting() == 2);
    locks.releaseAll(a);
    assertThat(bGotA.get(10, TimeUnit.SECONDS)).isTrue();
    locks.releaseAll(b);
    assertThat(cGotA.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anInterruptedWaiterGetsACleanErrorAndKeepsItsFlag() throws Exception {
    LockOwner a = locks.owner(1);
    locks.lock(a, k("x"), 0);
    AtomicReference<Thread> waiter = new AtomicReference<>();
    AtomicBoolean flagKept = new AtomicBoolean();
    Future<KevoException> failure =
        pool.submit(
            () -> {
              waiter.set(Thread.currentThread());
              try {
                locks.lock(locks.owner(2), k("x"), LONG);
                return null;
              } catch (KevoException e) {
                flagKept.set(Thread.interrupted());
                return e;
              }
            });
    until(() -> locks.waiting() == 1);
    waiter.get().interrupt();
    KevoException e = failure.get(10, TimeUnit.SECONDS);
    assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
    assertThat(e)
        .hasMessageContaining("interrupted while transaction 2 waited for the lock on key");
    assertThat(flagKept).isTrue();
    assertThat(locks.waiting()).isZero();
    locks.releaseAll(a);
    assertThat(locks.lockedKeys()).isZero();
  }

  @Test
  void closeWakesWaitersAndRefusesNewLocks() throws Exception {
    LockOwner a = locks.owner(1);
    locks.lock(a, k("x"), 0);
    Future<Boolean> b = lockInBackground(locks.owner(2), "x", LONG);
    until(() -> locks.waiting() == 1);
    locks.close();
    locks.close();
    assertThatThrownBy(() -> b.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(KevoException.class)
        .hasMessageContaining("cannot lock: the database is closed");
    assertThatThrownBy(() -> locks.lock(locks.owner(3), k("y"), 0))
        .isInstanceOfSatisfying(
            KevoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
    locks.releaseAll(a); // a no-op, throws nothing
    assertThat(locks.lockedKeys()).isZero();
  }

  @Test
  void keysAreComparedByContentAndShownPrintably() {
    LockOwner a = locks.owner(1);
    locks.lock(a, new byte[] {0, 'q', (byte) 0xFF}, 0);
    assertThatThrownBy(() -> locks.lock(locks.owner(2), new byte[] {0, 'q', (byte) 0xFF}, 0))
        .hasMessageContaining("key \"\\x00q\\xff\"");
    assertThat(new LockKey(k("a"))).isEqualTo(new LockKey(k("a"))).isNotEqualTo(k("a"));
    assertThat(new LockKey(k("\"\\")).toString()).isEqualTo("\"\\x22\\x5c\"");
  }
}
