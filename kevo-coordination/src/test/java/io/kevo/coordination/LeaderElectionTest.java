package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class LeaderElectionTest {
  private static final class Counting implements LeaderElection.Listener {
    final AtomicInteger gained = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();

    @Override
    public void gained() {
      gained.incrementAndGet();
    }

    @Override
    public void lost() {
      lost.incrementAndGet();
    }
  }

  @Test
  void oneBidderLeadsAtATimeAndTheNextTakesOverWhenItGivesUp() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator a = ZkTestSupport.connect(server, "le");
        Coordinator b = ZkTestSupport.connect(server, "le")) {
      assertThat(LeaderElection.leader(a)).isEmpty();
      Counting la = new Counting();
      Counting lb = new Counting();
      LeaderElection ea = LeaderElection.bid(a, "a", la);
      await().atMost(Duration.ofSeconds(10)).until(ea::hasLeadership);
      LeaderElection eb = LeaderElection.bid(b, "b", lb);
      assertThat(LeaderElection.leader(b)).hasValue("a");
      assertThat(eb.hasLeadership()).isFalse();
      assertThat(la.gained).hasValue(1);

      ea.close();
      ea.close();
      await().atMost(Duration.ofSeconds(10)).until(eb::hasLeadership);
      assertThat(ea.hasLeadership()).isFalse();
      assertThat(LeaderElection.leader(a)).hasValue("b");
      assertThat(lb.gained).hasValue(1);
      assertThat(eb.id()).isEqualTo("b");
      eb.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> LeaderElection.leader(a).isEmpty());
    }
  }

  @Test
  void leadershipEndsWithTheSessionNotWithASuspendedConnection() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer()) {
      Coordinator a = ZkTestSupport.connect(server, "le2");
      try {
        Counting la = new Counting();
        LeaderElection ea = LeaderElection.bid(a, "a", la);
        await().atMost(Duration.ofSeconds(10)).until(ea::hasLeadership);
        server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.state() == SessionState.SUSPENDED);
        assertThat(la.lost).as("lost on SUSPENDED").hasValue(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> la.lost.get() == 1);
        assertThat(ea.hasLeadership()).isFalse();
        ea.close();
      } finally {
        a.close();
      }
    }
  }
}
