package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.kevo.server.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KevoClient} transactions in either mode, per transaction or by the server's default. */
class PessimisticTransactionClientTest {
  @TempDir Path dir;

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private ServerFixture fx;

  @AfterEach
  void stop() {
    pool.shutdownNow();
    if (fx != null) {
      fx.close();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int increment(KevoClient client, TransactionSpec spec) {
    try (ClientTransaction tx = client.beginTransaction(spec)) {
      int v = tx.get(b("counter")).map(x -> Integer.parseInt(new String(x))).orElse(0);
      tx.put(b("counter"), b(Integer.toString(v + 1)));
      tx.commit();
      return v + 1;
    }
  }

  @Test
  void pessimisticIncrementsFromFourThreadsAllCommitOnAnOptimisticServer() throws Exception {
    fx = new ServerFixture(dir, ServerOptions.builder(), ClientOptions.builder());
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 25; i++) {
                  increment(fx.client, TransactionSpec.PESSIMISTIC);
                }
                return null;
              }));
    }
    for (Future<?> f : workers) {
      f.get(60, TimeUnit.SECONDS); // a conflict would surface here
    }
    assertThat(fx.client.get(b("counter")).map(String::new)).contains("100");
  }

  @Test
  void aLockTimeoutIsAnAbortWithItsReasonAndEndsTheTransaction() {
    fx =
        new ServerFixture(
            dir,
            ServerOptions.builder()
                .transactionMode(io.kevo.engine.TransactionMode.PESSIMISTIC)
                .transactionLockTimeout(Duration.ofMillis(100)),
            ClientOptions.builder());
    try (ClientTransaction holder = fx.client.beginTransaction(false)) {
      holder.put(b("k"), b("held"));
      ClientTransaction waiter = fx.client.beginTransaction(false);
      assertThatThrownBy(() -> waiter.get(b("k")))
          .isInstanceOfSatisfying(
              TransactionConflictException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.ABORTED);
                assertThat(e.reason()).isEqualTo(TransactionConflictException.Reason.LOCK_TIMEOUT);
                assertThat(e.serverMessage())
                    .contains("lock wait timeout on key \"k\" held by another transaction");
              });
      assertThat(waiter.state()).isEqualTo(ClientTransaction.State.FAILED);
      holder.commit();
    }
  }

  @Test
  void anOptimisticSpecOverridesAPessimisticServerAndConflictsAtCommit() {
    fx =
        new ServerFixture(
            dir,
            ServerOptions.builder().transactionMode(io.kevo.engine.TransactionMode.PESSIMISTIC),
            ClientOptions.builder());
    ClientTransaction first = fx.client.beginTransaction(TransactionSpec.OPTIMISTIC);
    ClientTransaction second = fx.client.beginTransaction(TransactionSpec.OPTIMISTIC);
    first.put(b("k"), b("first"));
    second.put(b("k"), b("second")); // no lock: does not wait
    first.commit();
    assertThatThrownBy(second::commit)
        .isInstanceOfSatisfying(
            TransactionConflictException.class,
            e -> assertThat(e.reason()).isEqualTo(TransactionConflictException.Reason.CONFLICT));
  }

  @Test
  void specsValidateAndDescribeTheirMode() {
    assertThat(TransactionSpec.READ_WRITE.mode()).isNull();
    assertThat(TransactionSpec.PESSIMISTIC.mayLock()).isTrue();
    assertThat(TransactionSpec.READ_WRITE.mayLock()).isTrue();
    assertThat(TransactionSpec.OPTIMISTIC.mayLock()).isFalse();
    assertThat(TransactionSpec.READ_ONLY.withMode(TransactionMode.PESSIMISTIC).mayLock()).isFalse();
    assertThat(TransactionSpec.PESSIMISTIC.withLockWait(Duration.ofSeconds(9)).lockWait())
        .isEqualTo(Duration.ofSeconds(9));
    assertThatThrownBy(() -> TransactionSpec.READ_WRITE.withLockWait(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
