package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class LeaseTest {

  @Test
  void holdsWhileTheEnsembleAnswersAndLapsesWithinHalfASessionWhenItStops() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator c = ZkTestSupport.connect(server, "lease")) {
      Lease lease = Lease.start(c, Lease.defaultInterval(c.options()));
      try {
        await().atMost(Duration.ofSeconds(10)).until(lease::valid);
        assertThat(lease.refusal()).isNull();
        assertThat(lease.renewNow()).isTrue();

        server.stop();
        long stopped = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> !lease.valid());
        long lapsedAfterMs = (System.nanoTime() - stopped) / 1_000_000;
        // Half of the 1.5 s session from the last heartbeat sent before the stop (plus the poll).
        assertThat(lapsedAfterMs)
            .isLessThanOrEqualTo(ZkTestSupport.SHORT_SESSION.toMillis() / 2 + 20);
        assertThat(lease.refusal()).contains("the coordinator last answered");

        server.restart();
        await().atMost(Duration.ofSeconds(20)).until(lease::valid);
      } finally {
        lease.close();
        lease.close();
      }
      assertThat(lease.valid()).isFalse();
      assertThat(lease.refusal()).isEqualTo("the coordinator session is closed");
    }
  }

  @Test
  void aNewLeaseIsNotValidBeforeItsFirstAnswer() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator c = ZkTestSupport.connect(server, "lease2")) {
      server.stop();
      try (Lease lease = Lease.start(c, Duration.ofMillis(100))) {
        assertThat(lease.valid()).isFalse();
        assertThat(lease.refusal()).isIn("the coordinator has not answered yet");
      }
    }
  }
}
