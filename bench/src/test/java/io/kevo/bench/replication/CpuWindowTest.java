package io.kevo.bench.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CpuWindowTest {
  @Test
  void sharesArePerNodeBetweenZeroAndOneAndSkipNodesWithoutSamples() {
    Map<String, OptionalLong> jit0 =
        Map.of("a", OptionalLong.of(100), "b", OptionalLong.of(900), "c", OptionalLong.empty());
    Map<String, OptionalLong> jit1 =
        Map.of("a", OptionalLong.of(400), "b", OptionalLong.of(200), "c", OptionalLong.of(5));
    Map<String, OptionalLong> cpu0 =
        Map.of("a", OptionalLong.of(1_000), "b", OptionalLong.of(1_000), "c", OptionalLong.of(0));
    Map<String, OptionalLong> cpu1 =
        Map.of("a", OptionalLong.of(2_000), "b", OptionalLong.of(3_000), "c", OptionalLong.of(9));

    Map<String, Double> shares = CpuWindow.shares(jit0, jit1, cpu0, cpu1);

    assertThat(shares).containsEntry("a", 0.3);
    // b's compiler thread with 900 ns ended in the window: the sum fell, the share is 0, not less.
    assertThat(shares).containsEntry("b", 0.0);
    assertThat(shares).doesNotContainKey("c");
  }
}
