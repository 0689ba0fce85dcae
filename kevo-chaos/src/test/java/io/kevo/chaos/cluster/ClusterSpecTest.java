package io.kevo.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {
  @Test
  void aShardedClusterHasASplitPointFewerThanShardsAndACoordinator() {
    ClusterSpec two = new ClusterSpec(2, List.of(), List.of(), true, 2, List.of("k010"));
    assertThat(two.sharded()).isTrue();
    assertThat(new ClusterSpec(3, List.of(), List.of(), true).sharded()).isFalse();
    assertThat(new ClusterSpec(1, List.of(), List.of(), true, 1, List.of()).sharded()).isTrue();
    assertThatThrownBy(() -> new ClusterSpec(2, List.of(), List.of(), true, 2, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 shards need 1 split points");
    assertThatThrownBy(() -> new ClusterSpec(2, List.of(), List.of(), false, 2, List.of("k010")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a coordinator");
    assertThatThrownBy(() -> new ClusterSpec(0, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
