package io.kevo.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.LinearizabilityChecker;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness end to end on a node whose behaviour is known: the real workload, recorder and
 * checker against a fake register node over gRPC. A node that serves one read in five from the
 * previous version is caught, with a read as the anomaly's offending operation; the same node
 * serving every read from the latest version passes (the harness does not see anomalies that are
 * not there).
 */
@Timeout(60)
class HarnessFindsAnomaliesTest {
  @Test
  void aNodeServingStaleReadsIsCaughtAsNotLinearizable() throws Exception {
    CheckResult r = runAgainst(new StaleRegisterNode(5));
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.anomalyCount()).isPositive();
    Op offending = r.anomalies().get(0).ops().get(0);
    assertThat(offending.kind()).isEqualTo(Op.Kind.GET);
    assertThat(r.anomalies().get(0).explanation()).contains(offending.mops().get(0).key());
  }

  @Test
  void theSameNodeServingTheLatestValueIsLinearizable() throws Exception {
    CheckResult r = runAgainst(new StaleRegisterNode(Integer.MAX_VALUE));
    assertThat(r.status()).isEqualTo(Status.VALID);
    assertThat(r.opsChecked()).isGreaterThan(100);
  }

  private static CheckResult runAgainst(StaleRegisterNode node) throws Exception {
    HistoryRecorder recorder = new HistoryRecorder(op -> {});
    try (node;
        NodeChannels channels = new NodeChannels()) {
      OpRunner runner = new OpRunner(channels, recorder, Duration.ofSeconds(2), "async");
      Topology topology =
          new Topology() {
            @Override
            public String primary() {
              return "fake";
            }

            @Override
            public List<String> replicas() {
              return List.of();
            }

            @Override
            public String address(String name) {
              return node.address();
            }
          };
      Workload w =
          new Workload(
              runner, topology, new WorkloadSpec(4, 3, 0, Duration.ZERO, Duration.ofMillis(10)), 7);
      w.start();
      // Enough operations for a few hundred reads of three keys, however slow the machine.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (reads(recorder) < 300 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(w.stop(Duration.ofSeconds(10))).isTrue();
    }
    History h = recorder.history(List.of());
    assertThat(h.ops()).anyMatch(op -> op.kind() == Op.Kind.PUT && op.outcome() == Outcome.OK);
    return new LinearizabilityChecker(CheckOptions.DEFAULT).check(h.ops(), "on the fake node");
  }

  private static long reads(HistoryRecorder recorder) {
    return recorder.ops().stream()
        .filter(op -> op.kind() == Op.Kind.GET && op.outcome() == Outcome.OK)
        .count();
  }
}
