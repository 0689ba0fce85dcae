package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CandidateChoiceTest {
  private static MemberInfo replica(String id, long entryEpoch, long durable) {
    return new MemberInfo(
        id, id + ":1", MemberInfo.REPLICA, entryEpoch, entryEpoch, durable, false);
  }

  private static Optional<PrimaryRecord> record(long epoch, long termStart, long sequence) {
    return Optional.of(new PrimaryRecord("p", "p:1", epoch, termStart, sequence, 0));
  }

  @Test
  void theHighestDurableSequenceWinsAndTiesGoToTheSmallestId() {
    var c =
        CandidateChoice.choose(
            List.of(replica("b", 1, 90), replica("c", 1, 100), replica("a", 1, 100)),
            record(1, 1, 100),
            0);
    assertThat(c.winner()).map(MemberInfo::id).hasValue("a");
    assertThat(c.reason()).contains("a (epoch 1, durable sequence 100)");
  }

  @Test
  void aLaterTermBeatsALongerLogOfAnOlderTerm() {
    // b holds entries 101..105 of epoch 1 that epoch 2 (from 101) never had: a's log wins.
    var c =
        CandidateChoice.choose(
            List.of(replica("a", 2, 102), replica("b", 1, 105)), record(2, 101, 102), 0);
    assertThat(c.winner()).map(MemberInfo::id).hasValue("a");
  }

  @Test
  void primariesAndNoPromoteMembersAreNeverChosen() {
    MemberInfo primary = new MemberInfo("p", "p:1", MemberInfo.PRIMARY, 1, 1, 500, false);
    MemberInfo pinned = new MemberInfo("z", "z:1", MemberInfo.REPLICA, 1, 1, 500, true);
    var c =
        CandidateChoice.choose(List.of(primary, pinned, replica("r", 1, 10)), Optional.empty(), 0);
    assertThat(c.winner()).map(MemberInfo::id).hasValue("r");
    var none = CandidateChoice.choose(List.of(primary, pinned), Optional.empty(), 0);
    assertThat(none.winner()).isEmpty();
    assertThat(none.reason()).contains("2 registered, none eligible");
    assertThat(CandidateChoice.choose(List.of(), Optional.empty(), 0).reason())
        .isEqualTo("no member is registered");
  }

  @Test
  void nobodyIsChosenWhenTheBestLacksMoreThanTheMaxLagOfWhatThePrimaryConfirmed() {
    var c = CandidateChoice.choose(List.of(replica("a", 1, 95)), record(1, 1, 100), 0);
    assertThat(c.winner()).isEmpty();
    assertThat(c.reason())
        .startsWith("no replica qualifies")
        .contains("lacks 5 entries")
        .contains("--failover-max-lag 0");
    assertThat(CandidateChoice.choose(List.of(replica("a", 1, 95)), record(1, 1, 100), 5).winner())
        .isPresent();
  }

  @Test
  void entriesOfAnOlderTermPastTheRecordsTermStartDoNotCount() {
    // a has 120 entries, all of epoch 1; epoch 2 began at 101 and confirmed up to 110.
    MemberInfo a = replica("a", 1, 120);
    PrimaryRecord r = record(2, 101, 110).orElseThrow();
    assertThat(CandidateChoice.lag(a, r)).isEqualTo(10);
    assertThat(CandidateChoice.choose(List.of(a), Optional.of(r), 9).winner()).isEmpty();
    assertThat(CandidateChoice.choose(List.of(a), Optional.of(r), 10).winner()).isPresent();
  }

  @Test
  void aNegativeMaxLagIsRefused() {
    assertThatThrownBy(() -> CandidateChoice.choose(List.of(), Optional.empty(), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
