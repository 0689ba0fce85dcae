package io.kevo.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link VirtualMachineError} thrown by a task of the executor, which its future would otherwise
 * keep unseen, reaches the worker thread's uncaught-exception handler; other failures do not.
 */
class SurfacingScheduledExecutorTest {
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private final CountDownLatch heard = new CountDownLatch(1);
  private final SurfacingScheduledExecutor executor =
      new SurfacingScheduledExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "surfacing-test");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler(
                (thread, e) -> {
                  uncaught.add(e);
                  heard.countDown();
                });
            return t;
          });

  @AfterEach
  void stop() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void anOutOfMemoryErrorInAnExecutedTaskReachesTheUncaughtExceptionHandler() throws Exception {
    OutOfMemoryError injected = new OutOfMemoryError("Java heap space (injected)");

    executor.execute(
        () -> {
          throw injected;
        });

    assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(uncaught).containsExactly(injected);
  }

  @Test
  void anOutOfMemoryErrorInAPeriodicTaskReachesTheUncaughtExceptionHandler() throws Exception {
    StackOverflowError injected = new StackOverflowError("injected");
    int[] runs = {0};

    executor.scheduleAtFixedRate(
        () -> {
          if (++runs[0] == 3) {
            throw injected;
          }
        },
        0,
        1,
        TimeUnit.MILLISECONDS);

    assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(uncaught).containsExactly(injected);
    assertThat(runs[0]).isEqualTo(3);
  }

  @Test
  void otherFailuresStayInTheirFutures() throws Exception {
    executor.execute(
        () -> {
          throw new IllegalStateException("a bug");
        });
    OutOfMemoryError marker = new OutOfMemoryError("marker");
    executor.execute(
        () -> {
          throw marker;
        });

    // Tasks run in order on the one thread: once the second is heard, the first was handled.
    assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(uncaught).containsExactly(marker);
  }
}
