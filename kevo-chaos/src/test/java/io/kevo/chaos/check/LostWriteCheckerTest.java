package io.kevo.chaos.check;

import static io.kevo.chaos.history.Mop.delete;
import static io.kevo.chaos.history.Mop.put;
import static io.kevo.chaos.history.Mop.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LostWriteCheckerTest {
  private final LostWriteChecker checker = new LostWriteChecker(CheckOptions.DEFAULT);
  private final Ops h = new Ops();

  private CheckResult check(Map<String, String> data) {
    return checker.check(h.all(), NodeState.of("n1", "primary", 10, data));
  }

  @Test
  void finalValuesFromTheLastAcknowledgedWritesAreNoLoss() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).add();
    h.put("b", "3").at(0, 10).add();
    h.delete("b").at(20, 30).add();
    CheckResult r = check(Map.of("a", "2"));
    assertThat(r.status()).isEqualTo(Status.VALID);
    assertThat(r.summary()).isEqualTo("0 lost writes");
    assertThat(r.opsChecked()).isEqualTo(4);
  }

  @Test
  void acknowledgedWriteMissingFromTheFinalStateIsLost() {
    Op survivor = h.put("a", "1").by(1).at(0, 10).add();
    Op lost = h.put("a", "2").by(2).at(20, 30).add();
    CheckResult r = check(Map.of("a", "1"));
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.summary()).isEqualTo("1 lost write (1 keys)");
    Anomaly a = r.anomalies().get(0);
    assertThat(a.kind()).isEqualTo("lost-write");
    assertThat(a.key()).isEqualTo("a");
    assertThat(a.ops()).containsExactly(lost, survivor);
    assertThat(a.explanation())
        .startsWith("PUT a=2 by client 2 during [0.020000 s, 0.030000 s] was acknowledged")
        .contains("ends with a=1, left by PUT a=1 by client 1, which completed at 0.010000 s");
  }

  @Test
  void everyAcknowledgedWriteAfterTheSurvivorIsCounted() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).add();
    h.put("a", "3").at(40, 50).add();
    CheckResult r = check(Map.of("a", "1"));
    assertThat(r.anomalyCount()).isEqualTo(2);
    assertThat(r.details())
        .containsEntry("lostWrites", "2")
        .containsEntry("keysWithLostWrites", "1");
  }

  @Test
  void concurrentWritesMayEndEitherWay() {
    h.put("a", "1").by(1).at(0, 30).add();
    h.put("a", "2").by(2).at(10, 40).add();
    assertThat(check(Map.of("a", "1")).status()).isEqualTo(Status.VALID);
    assertThat(check(Map.of("a", "2")).status()).isEqualTo(Status.VALID);
  }

  @Test
  void unknownWriteMayBeTheFinalValueOrNot() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).unknown().add();
    h.put("a", "3").at(40, 50).add();
    assertThat(check(Map.of("a", "3")).status()).isEqualTo(Status.VALID);
    // The unknown write may have taken effect after the last acknowledged one.
    assertThat(check(Map.of("a", "2")).status()).isEqualTo(Status.VALID);
    assertThat(check(Map.of("a", "1")).status()).isEqualTo(Status.INVALID);
  }

  @Test
  void finalValueFromAFailedWriteIsReported() {
    h.put("a", "1").at(0, 10).add();
    Op failed = h.put("a", "2").at(20, 30).fail().add();
    CheckResult r = check(Map.of("a", "2"));
    assertThat(r.status()).isEqualTo(Status.INVALID);
    Anomaly a = r.anomalies().get(0);
    assertThat(a.kind()).isEqualTo("final-value-from-failed-write");
    assertThat(a.ops()).containsExactly(failed);
    assertThat(r.summary()).isEqualTo("0 lost writes; 1 final values nobody wrote");
  }

  @Test
  void finalValueNobodyWroteIsReported() {
    h.put("a", "1").at(0, 10).add();
    CheckResult r = check(Map.of("a", "1", "ghost", "boo"));
    assertThat(r.anomalies())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo("final-value-never-written");
              assertThat(a.key()).isEqualTo("ghost");
            });
  }

  @Test
  void absenceIsExplainedByALaterDeleteOrNoPutAtAll() {
    h.put("a", "1").at(0, 10).add();
    h.delete("a").at(20, 30).add();
    h.txn(read("b", null), read("c", null), put("b", "2"), delete("c")).at(40, 50).add();
    h.put("d", "4").at(0, 10).fail().add();
    assertThat(check(Map.of("b", "2")).status()).isEqualTo(Status.VALID);
  }

  @Test
  void absenceAfterAnAcknowledgedPutWithNoDeleteIsALostWrite() {
    h.put("a", "1").at(0, 10).add();
    Op put = h.put("a", "2").at(20, 30).add();
    h.delete("a").at(12, 18).add();
    CheckResult r = check(Map.of());
    assertThat(r.anomalies())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.ops().get(0)).isEqualTo(put);
              assertThat(a.explanation()).contains("ends with a=absent, left by DELETE a");
            });

    Ops never = new Ops();
    Op only = never.put("x", "1").at(0, 10).add();
    CheckResult r2 = checker.check(never.all(), NodeState.of("n1", "primary", 1, Map.of()));
    assertThat(r2.anomalies().get(0).ops()).containsExactly(only);
    assertThat(r2.anomalies().get(0).explanation()).contains("no operation deleted x");
  }

  @Test
  void transactionWritesAreAcknowledgedWritesToo() {
    h.put("a", "0").at(0, 10).add();
    Op txn = h.txn(read("a", "0"), read("b", null), put("a", "1"), put("b", "1")).at(20, 30).add();
    CheckResult r = check(Map.of("a", "0", "b", "1"));
    assertThat(r.anomalies())
        .singleElement()
        .satisfies(a -> assertThat(a.ops().get(0)).isEqualTo(txn));
  }

  @Test
  void withoutAFinalStateTheAnswerIsUnknown() {
    h.put("a", "1").at(0, 10).add();
    CheckResult r = checker.check(h.all(), null);
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
  }
}
