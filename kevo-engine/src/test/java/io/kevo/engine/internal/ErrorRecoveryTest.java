package io.kevo.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.internal.WriteStop.Origin;
import io.kevo.engine.internal.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures {@link ErrorRecovery} heals, which it keeps, and what writers are told. */
class ErrorRecoveryTest {
  private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final EngineEnv env =
      new EngineEnv(
          FileIo.DEFAULT,
          Clock.fixed(T0, ZoneOffset.UTC),
          Duration.ofMillis(5),
          Duration.ofMillis(20),
          0);

  /** Retries whose WAL attempt fails with {@code walError} the first {@code walFailures} times. */
  private static final class FakeRetries implements ErrorRecovery.Retries {
    final AtomicInteger walAttempts = new AtomicInteger();
    final AtomicInteger backgroundAttempts = new AtomicInteger();
    volatile int walFailures;
    volatile String walError = "No space left on device";

    @Override
    public void retryWal() throws IOException {
      if (walAttempts.incrementAndGet() <= walFailures) {
        throw new IOException(walError);
      }
    }

    @Override
    public boolean retryBackground() {
      backgroundAttempts.incrementAndGet();
      return true;
    }
  }

  @Test
  void aFullDiskIsRetriedWithBackoffUntilItWorksAndKeepsItsFirstTime() {
    FakeRetries retries = new FakeRetries();
    retries.walFailures = 3;
    try (ErrorRecovery r = new ErrorRecovery(Path.of("db"), env)) {
      r.start(retries);
      r.failed(Origin.WAL_APPEND, new IOException("No space left on device"));
      KevoException refused = r.refusal(r.current());
      assertThat(refused.code()).isEqualTo(ErrorCode.NO_SPACE);
      assertThat(refused.getMessage())
          .contains("refuses writes since " + T0)
          .contains("nothing was written")
          .contains("checked every 20 ms");
      await().atMost(PATIENCE).until(() -> r.current() == null);
      assertThat(retries.walAttempts).hasValue(4);
      r.checkWritable();
    }
  }

  @Test
  void aPermanentFailureWinsOverAHealableOneAndIsNeverRetried() {
    FakeRetries retries = new FakeRetries();
    try (ErrorRecovery r = new ErrorRecovery(Path.of("db"), env)) {
      r.start(retries);
      r.failed(Origin.WAL_SYNC, new IOException("No space left on device"));
      assertThat(r.current().recoverable()).as("a failed fsync is never retried").isFalse();
      r.failed(Origin.BACKGROUND, new IOException("No space left on device"));
      r.succeeded(Origin.BACKGROUND);
      assertThatThrownBy(r::checkWritable)
          .isInstanceOfSatisfying(
              KevoException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.WRITES_REFUSED);
                assertThat(e.getMessage()).contains("syncing").contains("reopen");
              });
      assertThat(retries.walAttempts).hasValue(0);
      assertThat(retries.backgroundAttempts).hasValue(0);
    }
  }

  @Test
  void aRetryThatMeetsAnotherErrorMakesTheStopPermanent() {
    FakeRetries retries = new FakeRetries();
    retries.walFailures = Integer.MAX_VALUE;
    retries.walError = "Input/output error";
    try (ErrorRecovery r = new ErrorRecovery(Path.of("db"), env)) {
      r.start(retries);
      r.failed(Origin.WAL_APPEND, new IOException("No space left on device"));
      await().atMost(PATIENCE).until(() -> !r.current().recoverable());
      assertThat(r.refusal(r.current()).getMessage()).contains("Input/output error");
      assertThat(retries.walAttempts).hasValue(1);
    }
  }

  @Test
  void aFailedBackgroundJobIsRestartedAndWritesResumeWhenItSucceeds() {
    FakeRetries retries = new FakeRetries();
    try (ErrorRecovery r = new ErrorRecovery(Path.of("db"), env)) {
      r.start(retries);
      r.failed(Origin.BACKGROUND, new IOException("No space left on device"));
      await().atMost(PATIENCE).until(() -> retries.backgroundAttempts.get() == 1);
      assertThat(r.current()).isNotNull();
      r.failed(Origin.BACKGROUND, new IOException("No space left on device"));
      await().atMost(PATIENCE).until(() -> retries.backgroundAttempts.get() == 2);
      r.succeeded(Origin.BACKGROUND);
      assertThat(r.current()).isNull();
    }
  }

  @Test
  void theBackoffDoublesUpToItsBoundAndStartsOverAfterAReset() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(new long[] {b.nextMillis(), b.nextMillis(), b.nextMillis(), b.nextMillis()})
        .containsExactly(100, 200, 400, 800);
    assertThat(b.nextMillis()).isEqualTo(1000);
    assertThat(b.nextMillis()).isEqualTo(1000);
    b.reset();
    assertThat(b.nextMillis()).isEqualTo(100);
  }
}
