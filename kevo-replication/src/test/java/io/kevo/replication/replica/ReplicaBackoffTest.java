package io.kevo.replication.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaBackoffTest {
  @Test
  void doublesFromTheInitialDelayToTheCapWithJitterBetweenHalfAndAll() {
    ReplicaBackoff b =
        new ReplicaBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(1));
    long[] nominal = {100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000};
    Set<Long> distinct = new HashSet<>();
    for (int round = 0; round < 50; round++) {
      for (int f = 1; f <= nominal.length; f++) {
        long d = b.delayMillis(f);
        assertThat(d).isBetween(nominal[f - 1] / 2, nominal[f - 1]);
        distinct.add(d);
      }
    }
    assertThat(b.delayMillis(1000)).isBetween(5_000L, 10_000L);
    assertThat(distinct.size()).as("jitter").isGreaterThan(nominal.length * 10);
  }
}
