package io.kevo.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundsTest {
  private static final List<String> SIX =
      List.of("kill", "pause", "partition", "slow", "large-writes", "failover");

  @Test
  void everyRoundDealsEachItemOnce() {
    Rounds<String> rounds = new Rounds<>(SIX, new SplittableRandom(1));
    for (int round = 0; round < 50; round++) {
      List<String> dealt = new ArrayList<>();
      for (int i = 0; i < SIX.size(); i++) {
        dealt.add(rounds.next());
      }
      assertThat(dealt).as("round %d", round).containsExactlyInAnyOrderElementsOf(SIX);
    }
  }

  @Test
  void theSameSeedDealsTheSameOrderAndRoundsDiffer() {
    List<String> a = deal(new Rounds<>(SIX, new SplittableRandom(7)), 60);
    List<String> b = deal(new Rounds<>(SIX, new SplittableRandom(7)), 60);
    assertThat(a).isEqualTo(b);
    // Ten rounds of six in one order each would be a shuffle that does not shuffle.
    assertThat(a.subList(0, 6)).isNotEqualTo(a.subList(6, 12)).isNotEqualTo(a.subList(54, 60));
  }

  @Test
  void nothingToDealIsAnError() {
    Rounds<String> none = new Rounds<>(List.of(), new SplittableRandom(1));
    assertThatThrownBy(none::next).isInstanceOf(IllegalStateException.class);
  }

  private static List<String> deal(Rounds<String> rounds, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rounds.next());
    }
    return out;
  }
}
