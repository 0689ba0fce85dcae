package io.kevo.bench.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.TransactionOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pessimistic transaction that times out on a lock is rolled back, and says so: the tx workload
 * counts it as an abort, not as a loaded key gone missing (the flaky "a loaded key is missing" of
 * the tx benchmark on a busy machine, where a deadlock or lock timeout made a read answer null).
 */
class KevoAdapterTransactionTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReadThatTimesOutOnALockRollsTheTransactionBackAndSaysSo() {
    try (KevoAdapter kevo =
        KevoAdapter.open(
            dir,
            EngineSettings.DEFAULT,
            TransactionOptions.PESSIMISTIC.withLockTimeout(Duration.ofMillis(50)))) {
      kevo.put(b("k"), b("v"), false);
      try (EngineTransaction holder = kevo.begin();
          EngineTransaction waiter = kevo.begin()) {
        assertThat(holder.get(b("k"))).isEqualTo(b("v"));
        assertThat(holder.rolledBack()).isFalse();

        assertThat(waiter.get(b("k"))).isNull();
        assertThat(waiter.rolledBack()).isTrue();
        waiter.put(b("k"), b("lost"));
        assertThat(waiter.commit()).isFalse();

        holder.put(b("k"), b("w"));
        assertThat(holder.commit()).isTrue();
      }
      assertThat(kevo.get(b("k"))).isEqualTo(b("w"));
    }
  }
}
