package io.kevo.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.History;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
  private final HistoryChecker checker = new HistoryChecker(CheckOptions.DEFAULT);

  @Test
  void generatedRunIsValidOnEveryCheck() {
    RegisterWorkload workload = new RegisterWorkload(10, 200, 7);
    List<Op> ops = workload.generate(20_000);
    long seq = workload.lastSequence();
    History history =
        new History(
            ops,
            List.of(),
            List.of(
                NodeState.of("n1", "primary", seq, workload.finalData()),
                NodeState.of("n2", "replica", seq, workload.finalData())));
    Verdict v = checker.check(history);
    assertThat(v.status()).as(v.toJson()).isEqualTo(Status.VALID);
    assertThat(v.summary())
        .startsWith("VALID: 20,000 ops; linearizable on the primary (200 keys); 0 lost writes;")
        .contains("; replica reads ok (0 reads); converged (2 nodes, ");
  }

  @Test
  void verdictIsTheWorstResultAndSurvivesJson() {
    Ops h = new Ops();
    h.put("a", "1").at(0, 10).seq(1).epoch(1).add();
    h.put("a", "2").at(20, 30).seq(2).epoch(1).add();
    Op stale = h.get("a", "1").at(40, 50).add();
    h.get("a", "2").replica("n2").by(2).at(60, 70).minSeq(2).seq(2).add();
    History history =
        new History(
            h.all(),
            List.of(),
            List.of(
                NodeState.of("n1", "primary", 2, Map.of("a", "2")),
                NodeState.of("n2", "replica", 2, Map.of("a", "2"))));
    Verdict v = checker.check(history);
    assertThat(v.status()).isEqualTo(Status.INVALID);
    assertThat(v.summary())
        .startsWith(
            "INVALID: 4 ops; NOT linearizable on the primary: 1 of 1 keys (a); 0 lost writes;")
        .contains("replica reads ok (1 reads); converged (2 nodes, 1 keys, digest ");
    assertThat(v.result(LinearizabilityChecker.NAME).anomalies().get(0).ops().get(0))
        .isEqualTo(stale);

    String json = v.toJson();
    assertThat(json).contains("\"kind\" : \"stale-read\"").doesNotContain("\"write\"");
    assertThat(Verdict.fromJson(json)).isEqualTo(v);
  }

  @Test
  void missingFinalStatesMakeTheVerdictUnknownNotValid() {
    Ops h = new Ops();
    h.put("a", "1").at(0, 10).add();
    Verdict v = checker.check(History.of(h.all()));
    assertThat(v.status()).isEqualTo(Status.UNKNOWN);
    assertThat(v.summary())
        .isEqualTo(
            "UNKNOWN: 1 ops; linearizable on the primary (1 keys);"
                + " lost writes unknown (no final state of the primary);"
                + " replica reads ok (0 reads); convergence unknown (no final states)");
  }
}
