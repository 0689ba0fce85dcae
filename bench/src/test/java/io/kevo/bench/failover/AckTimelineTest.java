package io.kevo.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AckTimelineTest {
  private static final long MS = 1_000_000;

  @Test
  void unavailabilityRunsFromTheLastOldEpochAckToTheFirstNewEpochAckAfterTheKill() {
    AckTimeline t =
        AckTimeline.of(
            new long[] {100 * MS, 900 * MS, 1_000 * MS, 5_300 * MS, 5_200 * MS, 6_000 * MS},
            new long[] {1, 1, 1, 2, 2, 2});

    AckTimeline.Gap gap = t.gap(1_050 * MS, 1).orElseThrow();

    assertThat(gap.lastBeforeNanos()).isEqualTo(1_000 * MS);
    assertThat(gap.firstAfterNanos()).as("the earliest, whatever the order").isEqualTo(5_200 * MS);
    assertThat(gap.unavailableMs()).isEqualTo(4_200.0);
    assertThat(gap.fromKillMs()).isEqualTo(4_150.0);
    assertThat(gap.quietBeforeKillMs()).isEqualTo(50.0);
    assertThat(gap.lateOldAcks()).isZero();
  }

  @Test
  void anAnswerOfTheKilledPrimaryArrivingJustAfterTheSignalCountsAsBefore() {
    AckTimeline t =
        AckTimeline.of(new long[] {990 * MS, 1_003 * MS, 4_800 * MS}, new long[] {3, 3, 4});

    AckTimeline.Gap gap = t.gap(1_000 * MS, 3).orElseThrow();

    assertThat(gap.lastBeforeNanos()).isEqualTo(1_003 * MS);
    assertThat(gap.unavailableMs()).isEqualTo(3_797.0);
    assertThat(gap.quietBeforeKillMs()).isEqualTo(-3.0);
    assertThat(gap.lateOldAcks()).isEqualTo(1);
  }

  @Test
  void eachRoundOfARunIsMeasuredByItsOwnKillAndEpoch() {
    // Round 1 kills epoch 1 at 1 s; round 2 kills epoch 2 at 20 s.
    AckTimeline t =
        AckTimeline.of(
            new long[] {500 * MS, 6_000 * MS, 19_900 * MS, 25_500 * MS, 26_000 * MS},
            new long[] {1, 2, 2, 3, 3});

    assertThat(t.gap(1_000 * MS, 1).orElseThrow().unavailableMs()).isEqualTo(5_500.0);
    assertThat(t.gap(20_000 * MS, 2).orElseThrow().unavailableMs()).isEqualTo(5_600.0);
    assertThat(t.countInEpoch(2)).isEqualTo(2);
  }

  @Test
  void noGapWithoutAcknowledgementsOnBothSides() {
    AckTimeline onlyBefore = AckTimeline.of(new long[] {1 * MS, 2 * MS}, new long[] {1, 1});
    AckTimeline onlyAfter = AckTimeline.of(new long[] {9 * MS}, new long[] {2});
    // A new-epoch ack from before the kill cannot close the gap.
    AckTimeline newBeforeKill = AckTimeline.of(new long[] {1 * MS, 2 * MS}, new long[] {1, 2});

    assertThat(onlyBefore.gap(5 * MS, 1)).isEmpty();
    assertThat(onlyAfter.gap(5 * MS, 1)).isEmpty();
    assertThat(newBeforeKill.gap(5 * MS, 1)).isEmpty();
    assertThatThrownBy(() -> AckTimeline.of(new long[1], new long[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mergeTakesEveryWritersAcknowledgements() {
    AckLog a = new AckLog(0);
    AckLog b = new AckLog(1);
    for (int i = 0; i < 3000; i++) {
      a.acked(i, i * MS, 1);
    }
    b.acked(0, 3_500 * MS, 1);
    b.acked(2, 7_000 * MS, 2);

    AckTimeline t = AckTimeline.merge(List.of(a, b));

    assertThat(t.size()).isEqualTo(3002);
    assertThat(t.gap(4_000 * MS, 1).orElseThrow().unavailableMs()).isEqualTo(3_500.0);
    assertThat(b.ackedNumbers().stream().boxed().toList()).containsExactly(0, 2);
  }
}
