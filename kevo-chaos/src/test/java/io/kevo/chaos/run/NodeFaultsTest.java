package io.kevo.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeFaultsTest {
  @Test
  void killsAndPausesAreNotNodeFailures() {
    History h =
        new History(
            List.of(),
            List.of(new Fault("kill", "n1", 0, 10, ""), new Fault("pause", "n2", 20, 30, "")),
            List.of());
    assertThat(NodeFaults.check(h).status()).isEqualTo(Status.VALID);
  }

  @Test
  void aNodeThatExitedByItselfOrCouldNotStartAgainIsAnAnomaly() {
    History h =
        new History(
            List.of(),
            List.of(
                new Fault(NodeFaults.CRASH, "n2", 5, 6, "exited by itself with status 3"),
                new Fault(NodeFaults.UNRECOVERABLE, "n1", 40, 40, "could not be started again")),
            List.of());
    CheckResult r = NodeFaults.check(h);
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.anomalies()).extracting(a -> a.key()).containsExactly("n2", "n1");
    assertThat(Judge.judge("replica:1", h).status()).isEqualTo(Status.INVALID);
  }
}
