package io.kevo.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.internal.wal.PendingWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The group-commit queue on its own: one committer at a time, every write committed exactly once in
 * queue order, rejections and failures reach the right callers, and writers that spin and then park
 * behind a slow leader are all carried by the next group.
 */
@Timeout(60)
class WriteQueueTest {
  /** A write tagged with its thread and its index in that thread. */
  private static PendingWrite write(int thread, int index) {
    return PendingWrite.single(new byte[] {(byte) thread}, new byte[] {1}, false)
        .attach(new int[] {thread, index});
  }

  private static int[] tag(PendingWrite w) {
    return (int[]) w.attachment();
  }

  @Test
  void concurrentWritersAreCommittedOnceInOrderByOneLeaderAtATime() throws Exception {
    int threads = 8;
    int perThread = 3_000;
    AtomicBoolean inCommit = new AtomicBoolean();
    AtomicInteger overlaps = new AtomicInteger();
    List<int[]> committed = Collections.synchronizedList(new ArrayList<>());
    WriteQueue queue =
        new WriteQueue(
            (group, sync) -> {
              if (!inCommit.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
              }
              for (PendingWrite w : group) {
                committed.add(tag(w));
              }
              inCommit.set(false);
            });
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    queue.submit(write(thread, i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(overlaps).hasValue(0);
    assertThat(committed).hasSize(threads * perThread);
    int[] next = new int[threads];
    for (int[] t : committed) {
      assertThat(t[1]).as("thread %d's writes in submission order", t[0]).isEqualTo(next[t[0]]);
      next[t[0]]++;
    }
  }

  @Test
  void writersParkedBehindASlowLeaderAreAllCarriedByTheNextGroup() throws Exception {
    int waiters = 5;
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
    WriteQueue queue =
        new WriteQueue(
            (group, sync) -> {
              groupSizes.add(group.size());
              if (groupSizes.size() == 1) {
                release.await();
              }
            });
    Thread leader = new Thread(() -> run(queue, write(0, 0)), "leader");
    leader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> groupSizes.size() == 1);
    List<Thread> behind = new ArrayList<>();
    for (int t = 1; t <= waiters; t++) {
      Thread th = new Thread(() -> run(queue, write(1, 0)), "waiter-" + t);
      behind.add(th);
      th.start();
    }
    // Past their spin, the writers park on the queue's condition.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> behind.stream().allMatch(th -> th.getState() == Thread.State.WAITING));
    release.countDown();
    leader.join(10_000);
    for (Thread th : behind) {
      th.join(10_000);
      assertThat(th.isAlive()).isFalse();
    }
    assertThat(groupSizes).containsExactly(1, waiters);
  }

  @Test
  void aRejectionReachesOnlyItsOwnCallerAndAFailureReachesTheWholeGroup() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WriteQueue queue =
        new WriteQueue(
            (group, sync) -> {
              if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("disk on fire");
              }
              for (PendingWrite w : group) {
                if (tag(w)[1] == 1) {
                  w.reject(new IllegalArgumentException("refused " + tag(w)[0]));
                }
              }
            });
    queue.submitAll(List.of(write(1, 0)));
    assertThatThrownBy(() -> queue.submit(write(2, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("disk on fire");
    PendingWrite refused = write(3, 1);
    PendingWrite accepted = write(4, 0);
    assertThatThrownBy(() -> queue.submitAll(List.of(accepted, refused)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refused 3");
    assertThat(accepted.rejection()).isNull();
    queue.submit(write(5, 0));
    assertThat(calls).hasValue(4);
  }

  private static void run(WriteQueue queue, PendingWrite w) {
    try {
      queue.submit(w);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
