package io.kevo.chaos.check;

import static io.kevo.chaos.history.Mop.put;
import static io.kevo.chaos.history.Mop.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.Op;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker(CheckOptions.DEFAULT);
  private final Ops h = new Ops();

  private CheckResult check() {
    return checker.check(h.all(), "on the primary");
  }

  private Anomaly onlyAnomaly(CheckResult r) {
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.anomalyCount()).isEqualTo(1);
    return r.anomalies().get(0);
  }

  @Test
  void sequentialPutsGetsAndDeletesAreLinearizable() {
    h.get("a", null).at(0, 1).add();
    h.put("a", "1").at(2, 3).add();
    h.get("a", "1").by(2).at(4, 5).add();
    h.delete("a").at(6, 7).add();
    h.get("a", null).by(3).at(8, 9).add();
    h.put("b", "2").at(10, 11).add();
    CheckResult r = check();
    assertThat(r.status()).isEqualTo(Status.VALID);
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.opsChecked()).isEqualTo(6);
    assertThat(r.summary()).isEqualTo("linearizable on the primary (2 keys)");
  }

  @Test
  void staleReadOnThePrimaryNamesTheOverwritingWrite() {
    h.put("k7", "c2-41").by(2).at(0, 10).add();
    Op overwrite = h.put("k7", "c5-9").by(5).at(20, 30).add();
    Op stale = h.get("k7", "c2-41").by(3).at(40, 50).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.kind()).isEqualTo("stale-read");
    assertThat(a.key()).isEqualTo("k7");
    assertThat(a.ops().get(0)).isEqualTo(stale);
    assertThat(a.ops()).contains(overwrite);
    assertThat(a.explanation())
        .isEqualTo(
            "GET k7 by client 3 returned c2-41 during [0.040000 s, 0.050000 s], but c2-41 had"
                + " been overwritten by PUT k7=c5-9 by client 5, acknowledged at 0.030000 s, and"
                + " no write of c2-41 was pending.");
  }

  @Test
  void summaryCountsTheKeysThatFail() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).add();
    h.get("a", "1").at(40, 50).add();
    h.put("b", "3").at(0, 10).add();
    h.get("b", "3").at(20, 30).add();
    CheckResult r = check();
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.summary()).isEqualTo("NOT linearizable on the primary: 1 of 2 keys (a)");
    assertThat(r.details()).containsEntry("keysNotLinearizable", "1");
  }

  @Test
  void valueReadBeforeItWasWritten() {
    Op early = h.get("a", "1").at(0, 10).add();
    Op write = h.put("a", "1").by(2).at(20, 30).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.kind()).isEqualTo("read-before-write");
    assertThat(a.ops()).startsWith(early, write);
    assertThat(a.explanation()).contains("invoked at 0.020000 s, after the read had returned");
  }

  @Test
  void readOfAFailedWrite() {
    Op failed = h.put("a", "1").at(0, 10).fail().add();
    Op read = h.get("a", "1").at(20, 30).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.kind()).isEqualTo("read-of-failed-write");
    assertThat(a.ops()).startsWith(read, failed);
    assertThat(a.explanation()).contains("failed (UNAVAILABLE: connection refused)");
  }

  @Test
  void readOfAValueNobodyWrote() {
    h.put("a", "1").at(0, 10).add();
    h.get("a", "zz").at(20, 30).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.kind()).isEqualTo("read-of-unwritten-value");
    assertThat(a.explanation()).endsWith("but no operation wrote zz to a.");
  }

  @Test
  void unknownWriteMayHaveTakenEffect() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).unknown().add();
    h.get("a", "2").by(2).at(100, 110).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }

  @Test
  void unknownWriteMayNotHaveTakenEffect() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).unknown().add();
    h.get("a", "1").by(2).at(100, 110).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }

  @Test
  void unknownWriteMayTakeEffectLongAfterItsClientGaveUp() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).unknown().add();
    h.get("a", "1").by(2).at(40, 50).add();
    h.get("a", "2").by(2).at(60, 70).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }

  @Test
  void unknownWriteTakesEffectOnlyOnce() {
    h.put("a", "1").at(0, 10).add();
    h.put("a", "2").at(20, 30).unknown().add();
    h.get("a", "2").by(2).at(40, 50).add();
    Op back = h.get("a", "1").by(2).at(60, 70).add();
    Anomaly a = onlyAnomaly(check());
    // No acknowledged write overwrote 1, so the reason is the search's own proof.
    assertThat(a.kind()).isEqualTo("not-linearizable");
    assertThat(a.ops().get(0)).isEqualTo(back);
    assertThat(a.explanation())
        .contains("the longest linearizable prefix (3 operations) ends with GET a by client 2")
        .contains("leaves a=2");
  }

  @Test
  void unknownReadsConstrainNothing() {
    h.put("a", "1").at(0, 10).add();
    h.get("a", null).at(20, 30).unknown().add();
    h.txn(read("a", null), put("a", "9")).at(40, 50).unknown().add();
    h.get("a", "1").at(60, 70).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }

  @Test
  void concurrentWritesMayBeReadInEitherOrder() {
    h.put("a", "1").by(1).at(0, 50).add();
    h.put("a", "2").by(2).at(0, 50).add();
    h.get("a", "1").by(3).at(10, 20).add();
    h.get("a", "2").by(3).at(30, 40).add();
    h.get("a", "2").by(3).at(60, 70).add();
    assertThat(check().status()).isEqualTo(Status.VALID);

    Ops other = new Ops();
    other.put("a", "1").by(1).at(0, 50).add();
    other.put("a", "2").by(2).at(0, 50).add();
    other.get("a", "2").by(3).at(10, 20).add();
    other.get("a", "1").by(3).at(30, 40).add();
    assertThat(checker.check(other.all()).status()).isEqualTo(Status.VALID);
  }

  @Test
  void concurrentWritesCannotBeSeenToFlipFlop() {
    h.put("a", "1").by(1).at(0, 100).add();
    h.put("a", "2").by(2).at(0, 100).add();
    h.get("a", "1").by(3).at(10, 20).add();
    h.get("a", "2").by(3).at(30, 40).add();
    Op flip = h.get("a", "1").by(3).at(50, 60).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.kind()).isEqualTo("not-linearizable");
    assertThat(a.ops().get(0)).isEqualTo(flip);
  }

  @Test
  void transactionsThatReadTheSameWriteAndBothOverwriteItAreALostUpdate() {
    h.put("x", "0").at(0, 10).add();
    Op first =
        h.txn(read("x", "0"), read("y", null), put("x", "1"), put("y", "1")).by(1).at(20, 40).add();
    Op second =
        h.txn(read("x", "0"), read("z", null), put("x", "2"), put("z", "2")).by(2).at(25, 45).add();
    CheckResult r = check();
    Anomaly a = onlyAnomaly(r);
    assertThat(a.key()).isEqualTo("x");
    assertThat(a.kind()).isEqualTo("lost-update");
    assertThat(a.ops()).contains(first, second);
    assertThat(a.explanation()).contains("two read-modify-writes cannot both directly follow");
  }

  @Test
  void transactionsInSequenceAreLinearizable() {
    h.put("x", "0").at(0, 10).add();
    h.txn(read("x", "0"), read("y", null), put("x", "1"), put("y", "1")).by(1).at(20, 40).add();
    h.txn(read("x", "1"), read("y", "1"), put("x", "2"), put("y", "2")).by(2).at(30, 50).add();
    h.get("y", "2").by(3).at(60, 70).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }

  @Test
  void readOfADeletedValueIsStale() {
    h.put("a", "1").at(0, 10).add();
    Op delete = h.delete("a").by(2).at(20, 30).add();
    Op stale = h.get("a", "1").by(3).at(40, 50).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.kind()).isEqualTo("stale-read");
    assertThat(a.ops()).startsWith(stale, delete);
    assertThat(a.explanation()).contains("overwritten by DELETE a by client 2");
  }

  @Test
  void absentReadAfterAnAcknowledgedPutNeedsAPendingDelete() {
    h.put("a", "1").at(0, 10).add();
    h.get("a", null).by(2).at(20, 30).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.kind()).isEqualTo("stale-read");
    assertThat(a.explanation())
        .contains("returned absent")
        .contains("a had been written by PUT a=1 by client 1")
        .contains("no delete of a was pending");

    Ops withDelete = new Ops();
    withDelete.put("a", "1").at(0, 10).add();
    withDelete.delete("a").by(3).at(15, 35).add();
    withDelete.get("a", null).by(2).at(20, 30).add();
    assertThat(checker.check(withDelete.all()).status()).isEqualTo(Status.VALID);
  }

  @Test
  void searchThatRunsOutOfBudgetIsUnknownNeverValid() {
    for (int i = 0; i < 20; i++) {
      h.put("a", "v" + i).by(i).at(0, 100).add();
    }
    h.get("a", "v7").by(99).at(50, 60).add();
    LinearizabilityChecker tight =
        new LinearizabilityChecker(CheckOptions.DEFAULT.withMaxStepsPerKey(5));
    CheckResult r = tight.check(h.all());
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.anomalies())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo("search-budget-exhausted");
              assertThat(a.key()).isEqualTo("a");
            });
    assertThat(r.summary()).contains("1 of 1 keys ran out of search budget (a)");
    assertThat(checker.check(h.all()).status()).isEqualTo(Status.VALID);
  }

  @Test
  void replicaReadsPassedInAreJudgedLikeAnyOther() {
    h.put("a", "1").at(0, 10).seq(1).add();
    h.put("a", "2").at(20, 30).seq(2).add();
    Op lagging = h.get("a", "1").replica("n2").at(40, 50).add();
    Anomaly a = onlyAnomaly(check());
    assertThat(a.ops().get(0)).isEqualTo(lagging);
  }

  @Test
  void anomalyListIsBoundedButCountsAll() {
    for (int k = 0; k < 5; k++) {
      h.put("k" + k, "1").at(0, 10).add();
      h.put("k" + k, "2").at(20, 30).add();
      h.get("k" + k, "1").at(40, 50).add();
    }
    CheckResult r =
        new LinearizabilityChecker(CheckOptions.DEFAULT.withMaxAnomalies(2)).check(h.all());
    assertThat(r.anomalyCount()).isEqualTo(5);
    assertThat(r.anomalies()).hasSize(2);
  }
}
