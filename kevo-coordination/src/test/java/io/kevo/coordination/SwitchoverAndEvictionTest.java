package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SwitchoverAndEvictionTest {
  private static final LeaderElection.Listener NO_OP =
      new LeaderElection.Listener() {
        @Override
        public void gained() {}

        @Override
        public void lost() {}
      };

  @Test
  void aSwitchoverRecordGoesFromRequestedToPausedToHandedOffOrRefusedAndOnlyOneAtATime()
      throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator c = ZkTestSupport.connect(server, "sw")) {
      ClusterRecords records = new ClusterRecords(c);
      assertThat(records.switchover()).isEmpty();
      SwitchoverRequest asked = SwitchoverRequest.to("n2", 100);
      records.requestSwitchover(asked);
      assertThatThrownBy(() -> records.requestSwitchover(SwitchoverRequest.to("n3", 200)))
          .isInstanceOf(CoordinationException.class)
          .hasMessageContaining("a switchover to n2 is already under way");
      assertThat(records.switchover()).hasValue(asked);
      assertThat(asked.isHandedOff()).isFalse();
      assertThat(asked.isRefused()).isFalse();

      SwitchoverRequest paused = asked.paused(150);
      records.updateSwitchover(paused);
      assertThat(records.switchover().orElseThrow().pausedAtMillis()).isEqualTo(150);
      SwitchoverRequest done = paused.handedOff();
      assertThat(done.isHandedOff()).isTrue();
      assertThat(done.state()).isEqualTo(SwitchoverRequest.STATE_HANDED_OFF);
      SwitchoverRequest refused = paused.refused("n2 is marked --no-promote");
      assertThat(refused.isRefused()).isTrue();
      assertThat(refused.state()).isEqualTo("refused: n2 is marked --no-promote");
      records.updateSwitchover(refused);
      assertThat(records.switchover()).hasValue(refused);

      records.clearSwitchover();
      records.clearSwitchover();
      assertThat(records.switchover()).isEmpty();
    }
  }

  @Test
  void theChoicePrefersASwitchoversTargetOnlyIfItIsEligibleAndWithinTheLag() {
    MemberInfo a = new MemberInfo("a", "a:1", MemberInfo.REPLICA, 1, 1, 100, false);
    MemberInfo b = new MemberInfo("b", "b:1", MemberInfo.REPLICA, 1, 1, 100, false);
    MemberInfo pinned = new MemberInfo("p", "p:1", MemberInfo.REPLICA, 1, 1, 100, true);
    MemberInfo behind = new MemberInfo("z", "z:1", MemberInfo.REPLICA, 1, 1, 90, false);
    Optional<PrimaryRecord> record = Optional.of(new PrimaryRecord("x", "x:1", 1, 1, 100, 0));
    List<MemberInfo> all = List.of(a, b, pinned, behind);
    assertThat(CandidateChoice.choose(all, record, 0, Optional.of("b")).winner()).hasValue(b);
    assertThat(CandidateChoice.choose(all, record, 0, Optional.of("b")).reason())
        .contains("switchover's target");
    // Not eligible, or behind: the usual rule (a, by id).
    assertThat(CandidateChoice.choose(all, record, 0, Optional.of("p")).winner()).hasValue(a);
    assertThat(CandidateChoice.choose(all, record, 0, Optional.of("z")).winner()).hasValue(a);
    assertThat(CandidateChoice.choose(all, record, 0, Optional.of("gone")).winner()).hasValue(a);
  }

  @Test
  void aGoneMembersEntryAndBidCanBeRemovedByAnotherSession() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator owner = ZkTestSupport.connect(server, "ev");
        Coordinator other = ZkTestSupport.connect(server, "ev")) {
      MemberInfo n1 = new MemberInfo("n1", "h:1", MemberInfo.PRIMARY, 1, 1, 5, false, "primary");
      MemberRegistry registry = MemberRegistry.register(owner, n1);
      LeaderElection bid = LeaderElection.bid(owner, "n1", NO_OP);
      try {
        assertThat(registry.awaitRegistered(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(bid::hasLeadership);
        assertThat(MemberRegistry.readMember(other, "n1")).hasValue(n1);
        assertThat(MemberRegistry.readMember(other, "n9")).isEmpty();

        MemberInfo moved = n1.withProgress(MemberInfo.PRIMARY, 1, 1, 6);
        registry.updateNow(moved);
        // Sent at once, answered in the background.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> MemberRegistry.readMember(other, "n1").equals(Optional.of(moved)));

        assertThat(bid.holdsOnEnsemble()).isTrue();
        assertThat(LeaderElection.evict(other, "n1")).isEqualTo(1);
        assertThat(LeaderElection.evict(other, "n1")).isZero();
        assertThat(LeaderElection.leader(other)).isEmpty();
        // The latch itself does not notice; the ensemble says so.
        assertThat(bid.holdsOnEnsemble()).isFalse();
        MemberRegistry.evict(other, "n1");
        MemberRegistry.evict(other, "n1");
        // A live owner's registry puts its entry back.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> MemberRegistry.readMember(other, "n1").isPresent());
      } finally {
        bid.close();
        registry.close();
      }
      assertThat(LeaderElection.evict(other, "nobody")).isZero();
    }
  }
}
