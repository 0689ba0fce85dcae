package io.kevo.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.NodeState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceCheckerTest {
  private final ConvergenceChecker checker = new ConvergenceChecker(CheckOptions.DEFAULT);

  @Test
  void equalNodesConvergeWithEqualDigests() {
    Map<String, String> data = Map.of("a", "1", "b", "2");
    CheckResult r =
        checker.check(
            List.of(
                NodeState.of("n2", "replica", 9, data),
                NodeState.of("n1", "primary", 9, data),
                NodeState.of("n3", "replica", 9, data)));
    assertThat(r.status()).isEqualTo(Status.VALID);
    assertThat(r.details().get("digest.n1"))
        .hasSize(64)
        .isEqualTo(r.details().get("digest.n2"))
        .isEqualTo(r.details().get("digest.n3"));
    assertThat(r.summary()).startsWith("converged (3 nodes, 2 keys, digest ");
  }

  @Test
  void differingNodesAreNamedWithTheirFirstDifferingKeys() {
    CheckResult r =
        checker.check(
            List.of(
                NodeState.of("n1", "primary", 9, Map.of("a", "1", "b", "2", "c", "3")),
                NodeState.of("n2", "replica", 8, Map.of("a", "1", "b", "X", "d", "4")),
                NodeState.of("n3", "replica", 9, Map.of("a", "1", "b", "2", "c", "3"))));
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.summary()).isEqualTo("NOT converged: n2 differ from primary n1");
    assertThat(r.anomalies())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo("diverged");
              assertThat(a.explanation())
                  .isEqualTo(
                      "n2 (last sequence 8) differs from n1 (last sequence 9) in 3 keys:"
                          + " b: n1=2, n2=X; c: n1=3, n2=absent; d: n1=absent, n2=4.");
            });
    assertThat(r.details().get("digest.n2")).isNotEqualTo(r.details().get("digest.n1"));
  }

  @Test
  void sameDataAtADifferentSequenceHasNotConverged() {
    CheckResult r =
        checker.check(
            List.of(
                NodeState.of("n1", "primary", 9, Map.of("a", "1")),
                NodeState.of("n2", "replica", 7, Map.of("a", "1"))));
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.anomalies().get(0).explanation()).endsWith("same data, different last sequence.");
  }

  @Test
  void digestSeparatesKeysFromValues() {
    String ab = ConvergenceChecker.digest(NodeState.of("x", "replica", 0, Map.of("ab", "c")));
    String a = ConvergenceChecker.digest(NodeState.of("x", "replica", 0, Map.of("a", "bc")));
    assertThat(ab).isNotEqualTo(a);
  }

  @Test
  void twoPrimariesAreAnAnomalyAndNoStatesAreUnknown() {
    CheckResult r =
        checker.check(
            List.of(
                NodeState.of("n1", "primary", 1, Map.of()),
                NodeState.of("n2", "primary", 1, Map.of())));
    assertThat(r.anomalies()).extracting(Anomaly::kind).containsExactly("two-primaries");
    assertThat(checker.check(List.of()).status()).isEqualTo(Status.UNKNOWN);
  }
}
