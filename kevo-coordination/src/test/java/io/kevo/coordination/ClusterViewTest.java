package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ClusterViewTest {

  @Test
  void readsMembersEpochLeaderAndRecordsInOneGo() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator c = ZkTestSupport.connect(server, "view")) {
      ClusterView empty = ClusterView.read(c);
      assertThat(empty.members()).isEmpty();
      assertThat(empty.epoch()).isZero();
      assertThat(empty.leader()).isEmpty();
      assertThat(empty.primary()).isEmpty();
      assertThat(empty.lastFailover()).isEmpty();
      assertThat(empty.primaryMember()).isEmpty();
      assertThat(empty.cluster()).isEqualTo("view");

      MemberInfo old = new MemberInfo("n1", "h:1", MemberInfo.PRIMARY, 1, 1, 10, false);
      MemberInfo cur = new MemberInfo("n2", "h:2", MemberInfo.PRIMARY, 2, 2, 12, false);
      try (MemberRegistry r1 = MemberRegistry.register(c, old);
          MemberRegistry r2 = MemberRegistry.register(c, cur);
          LeaderElection e = LeaderElection.bid(c, "n2", new NoOp())) {
        assertThat(r1.awaitRegistered(Duration.ofSeconds(10))).isTrue();
        assertThat(r2.awaitRegistered(Duration.ofSeconds(10))).isTrue();
        new EpochLedger(c).claimNext(0);
        ClusterRecords records = new ClusterRecords(c);
        PrimaryRecord p = new PrimaryRecord("n2", "h:2", 2, 11, 12, 1234);
        records.writePrimary(new PrimaryRecord("n1", "h:1", 1, 1, 10, 1000));
        records.writePrimary(p);
        FailoverRecord f = new FailoverRecord(5678, "n1", "n2", 2, "primary n1 gone");
        records.writeFailover(f);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> LeaderElection.leader(c).isPresent());

        ClusterView v = ClusterView.read(c);
        assertThat(v.members()).containsExactly(old, cur);
        assertThat(v.primaryMember()).hasValue(cur);
        assertThat(v.member("n1")).hasValue(old);
        assertThat(v.member("zz")).isEmpty();
        assertThat(v.epoch()).isEqualTo(1);
        assertThat(v.leader()).hasValue("n2");
        assertThat(v.primary()).hasValue(p);
        assertThat(v.lastFailover()).hasValue(f);
        assertThat(v.connectString()).isEqualTo(server.getConnectString());
      }
    }
  }

  @Test
  void anUnreadableRecordIsAClearError() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator c = ZkTestSupport.connect(server, "bad")) {
      c.client()
          .create()
          .creatingParentsIfNeeded()
          .forPath(c.path("failover"), "{not json".getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> new ClusterRecords(c).lastFailover())
          .isInstanceOf(CoordinationException.class)
          .hasMessageContaining("unreadable failover record");
    }
  }

  @Test
  void recordsRefuseNonsense() {
    assertThatThrownBy(() -> new PrimaryRecord("p", "h:1", 0, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FailoverRecord(0, "", "b", 0, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class NoOp implements LeaderElection.Listener {
    @Override
    public void gained() {}

    @Override
    public void lost() {}
  }
}
