package io.kevo.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrimariesTest {
  @Test
  void withoutACoordinatorTheOneGroupsPrimaryIsTheOneTheHarnessSet() throws Exception {
    try (Primaries p = new Primaries()) {
      assertThat(p.await("", Duration.ZERO)).isFalse();
      p.set("n1");
      assertThat(p.of("")).isEqualTo("n1");
      assertThat(p.epochOf("")).isZero();
      assertThat(p.await("", Duration.ZERO)).isTrue();
      SplittableRandom random = new SplittableRandom(1);
      long before = new SplittableRandom(1).nextLong();
      assertThat(p.any(List.of(""), random)).isEqualTo("n1");
      assertThat(random.nextLong()).as("no draw for one group").isEqualTo(before);
      assertThat(p.text(List.of(""))).isEqualTo("n1 in epoch 0");
    }
  }

  @Test
  void eachShardHasItsOwnTrackerAndAShardWithoutAPrimaryIsNotDrawn() throws Exception {
    try (Primaries p = new Primaries()) {
      // Nobody listens at these addresses: the trackers see no primary.
      p.track("s1", Map.of("s1n1", "127.0.0.1:1"), c -> {});
      p.track("s2", Map.of("s2n1", "127.0.0.1:1"), c -> {});
      assertThat(p.of("s1")).isNull();
      assertThat(p.await("s2", Duration.ofMillis(200))).isFalse();
      assertThat(p.any(List.of("s1", "s2"), new SplittableRandom(1))).isNull();
      assertThat(p.text(List.of("s1", "s2"))).isEqualTo("s1: null in epoch 0, s2: null in epoch 0");
    }
  }
}
