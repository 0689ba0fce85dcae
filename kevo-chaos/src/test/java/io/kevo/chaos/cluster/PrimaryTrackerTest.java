package io.kevo.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.testkit.KeptPorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimaryTrackerTest {
  private final List<PrimaryTracker.Change> changes = new ArrayList<>();

  @Test
  void thePrimaryOnlyMovesToAHigherEpoch() {
    try (PrimaryTracker t = new PrimaryTracker(Map.of(), changes::add)) {
      assertThat(t.primary()).isNull();
      t.offer("n1", 1);
      t.offer("n1", 1);
      assertThat(t.primary()).isEqualTo("n1");
      t.offer("n2", 3);
      // n1 wakes from a pause still reporting the primary role of its epoch: not taken back.
      t.offer("n1", 1);
      t.offer("n3", 3);
      assertThat(t.primary()).isEqualTo("n2");
      assertThat(t.epoch()).isEqualTo(3);
      t.offer("n1", 4);
      assertThat(t.primary()).isEqualTo("n1");
    }
    assertThat(changes)
        .containsExactly(
            new PrimaryTracker.Change(null, 0, "n1", 1),
            new PrimaryTracker.Change("n1", 1, "n2", 3),
            new PrimaryTracker.Change("n2", 3, "n1", 4));
    assertThat(changes.get(0).describe()).isEqualTo("n1 elected primary in epoch 1");
    assertThat(changes.get(1).describe()).isEqualTo("n2 primary in epoch 3 (was n1 in epoch 1)");
  }

  @Test
  void aNodeThatDoesNotAnswerChangesNothing() throws Exception {
    // A port nobody listens on: the poll fails for that node and the tracker knows no primary.
    int port = KeptPorts.pick();
    try (PrimaryTracker t = new PrimaryTracker(Map.of("n1", "127.0.0.1:" + port), changes::add)) {
      t.pollOnce();
      assertThat(t.primary()).isNull();
      assertThat(t.awaitPrimary(java.time.Duration.ofMillis(1))).isFalse();
    }
    assertThat(changes).isEmpty();
  }
}
