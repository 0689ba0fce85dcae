package io.kevo.chaos.check;

import static io.kevo.chaos.history.Mop.put;
import static io.kevo.chaos.history.Mop.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.Op;
import org.junit.jupiter.api.Test;

class ReplicaReadCheckerTest {
  private final ReplicaReadChecker checker = new ReplicaReadChecker(CheckOptions.DEFAULT);
  private final Ops h = new Ops();

  private CheckResult check() {
    return checker.check(h.all());
  }

  private Anomaly onlyAnomaly() {
    CheckResult r = check();
    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.anomalies()).hasSize(1);
    return r.anomalies().get(0);
  }

  @Test
  void laggingButOrderlyReplicaReadsAreFine() {
    h.get("a", null).replica("n2").by(3).at(0, 5).add();
    h.put("a", "1").by(1).at(10, 20).seq(1).epoch(1).add();
    h.put("a", "2").by(1).at(30, 40).seq(2).epoch(1).add();
    // Lags behind the primary (reads 1 after 2 was acknowledged) but never goes back.
    h.get("a", "1").replica("n2").by(3).at(50, 55).add();
    h.get("a", "1").replica("n3").by(3).at(60, 65).add();
    h.get("a", "2").replica("n2").by(3).at(70, 75).minSeq(2).seq(2).add();
    h.get("a", "1").replica("n2").by(4).at(80, 85).minSeq(1).seq(1).add();
    h.get("a", "1").at(90, 95).add(); // to the primary: not this checker's business
    CheckResult r = check();
    assertThat(r.status()).isEqualTo(Status.VALID);
    assertThat(r.opsChecked()).isEqualTo(5);
    assertThat(r.summary()).isEqualTo("replica reads ok (5 reads)");
  }

  @Test
  void valueNobodyWroteIsAnAnomaly() {
    h.put("a", "1").at(0, 10).seq(1).add();
    Op r = h.get("a", "7").replica("n2").at(20, 30).add();
    Anomaly a = onlyAnomaly();
    assertThat(a.kind()).isEqualTo("read-of-unwritten-value");
    assertThat(a.ops()).containsExactly(r);
    assertThat(a.explanation()).startsWith("GET a by client 1 on replica n2 returned 7");
  }

  @Test
  void valueOfAFailedWriteIsAnAnomaly() {
    Op failed = h.put("a", "1").at(0, 10).fail().add();
    Op r = h.get("a", "1").replica("n2").at(20, 30).add();
    Anomaly a = onlyAnomaly();
    assertThat(a.kind()).isEqualTo("read-of-failed-write");
    assertThat(a.ops()).containsExactly(r, failed);
  }

  @Test
  void valueReadBeforeItsWriteWasInvokedIsAnAnomaly() {
    Op r = h.get("a", "1").replica("n2").at(0, 10).add();
    Op w = h.put("a", "1").at(20, 30).seq(1).add();
    Anomaly a = onlyAnomaly();
    assertThat(a.kind()).isEqualTo("read-before-write");
    assertThat(a.ops()).containsExactly(r, w);
  }

  @Test
  void valueOfAConcurrentOrUnknownWriteIsFine() {
    h.put("a", "1").at(0, 30).unknown().add();
    h.get("a", "1").replica("n2").at(10, 20).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }

  @Test
  void readOlderThanItsTokenViolatesReadYourWrites() {
    Op old = h.put("a", "1").by(1).at(0, 10).seq(5).add();
    Op mine = h.put("a", "2").by(1).at(20, 30).seq(7).add();
    Op r = h.get("a", "1").replica("n2").by(1).at(40, 50).minSeq(7).seq(7).add();
    Anomaly a = onlyAnomaly();
    assertThat(a.kind()).isEqualTo("read-your-writes-violation");
    assertThat(a.ops()).containsExactly(r, old, mine);
    assertThat(a.explanation())
        .contains("with read-your-writes token 7 (replica at sequence 7)")
        .contains("PUT a=2 by client 1 was acknowledged with sequence 7")
        .contains("comes from PUT a=1 by client 1 at the earlier sequence 5");
  }

  @Test
  void tokenBelowTheLatestWriteAllowsTheOlderValue() {
    h.put("a", "1").by(1).at(0, 10).seq(5).add();
    h.put("a", "2").by(2).at(20, 30).seq(7).add();
    h.get("a", "1").replica("n2").by(1).at(40, 50).minSeq(6).seq(6).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }

  @Test
  void absenceWithinTheTokenNeedsAVisibleDelete() {
    h.put("a", "1").at(0, 10).seq(5).add();
    h.get("a", null).replica("n2").by(2).at(20, 30).minSeq(5).seq(5).add();
    assertThat(onlyAnomaly().kind()).isEqualTo("read-your-writes-violation");

    Ops visible = new Ops();
    visible.put("a", "1").at(0, 10).seq(5).add();
    visible.delete("a").by(3).at(12, 18).seq(6).add();
    visible.get("a", null).replica("n2").by(2).at(20, 30).minSeq(5).seq(6).add();
    assertThat(checker.check(visible.all()).status()).isEqualTo(Status.VALID);

    Ops notYet = new Ops();
    notYet.put("a", "1").at(0, 10).seq(5).add();
    notYet.delete("a").by(3).at(12, 18).seq(8).add();
    notYet.get("a", null).replica("n2").by(2).at(20, 30).minSeq(5).seq(6).add();
    assertThat(checker.check(notYet.all()).status()).isEqualTo(Status.INVALID);
  }

  @Test
  void goingBackToAnOlderValueIsNonMonotonic() {
    h.put("a", "1").by(1).at(0, 10).seq(5).add();
    h.put("a", "2").by(1).at(20, 30).seq(7).add();
    Op first = h.get("a", "2").replica("n2").by(3).at(40, 50).add();
    Op back = h.get("a", "1").replica("n3").by(3).at(60, 70).add();
    h.get("a", "1").replica("n3").by(4).at(60, 70).add(); // another client: its own first read
    Anomaly a = onlyAnomaly();
    assertThat(a.kind()).isEqualTo("non-monotonic-read");
    assertThat(a.ops().get(0)).isEqualTo(back);
    assertThat(a.ops()).contains(first);
    assertThat(a.explanation()).contains("the same client had already read 2");
  }

  @Test
  void absenceAfterAValueNeedsADeleteAfterIt() {
    h.put("a", "1").at(0, 10).seq(5).add();
    h.get("a", "1").replica("n2").by(3).at(20, 30).add();
    h.get("a", null).replica("n2").by(3).at(40, 50).add();
    assertThat(onlyAnomaly().kind()).isEqualTo("non-monotonic-read");

    Ops deleted = new Ops();
    deleted.put("a", "1").at(0, 10).seq(5).add();
    deleted.get("a", "1").replica("n2").by(3).at(20, 30).add();
    deleted.delete("a").at(25, 35).seq(6).add();
    deleted.get("a", null).replica("n2").by(3).at(40, 50).add();
    assertThat(checker.check(deleted.all()).status()).isEqualTo(Status.VALID);
  }

  @Test
  void reusedSequenceIsReportedAndOrdersNothing() {
    // Epoch 1 acknowledges a=2 at sequence 11; the promoted node never had it and hands out
    // sequences 10 and 11 again in epoch 2. No epochs reported: sequences alone would say a=3
    // (sequence 10) is older than a=2 (sequence 11).
    h.put("a", "1").at(0, 10).seq(9).add();
    h.put("a", "2").at(20, 30).seq(11).add();
    h.put("a", "3").at(100, 110).seq(10).add();
    h.put("b", "7").at(120, 130).seq(11).add();
    h.get("a", "2").replica("n3").by(5).at(40, 50).add();
    h.get("a", "3").replica("n2").by(5).at(140, 150).minSeq(11).seq(11).add();
    CheckResult r = check();
    assertThat(r.status()).isEqualTo(Status.INVALID);
    // Reported once; and a=2's reused sequence does not make the read of a=3 look stale.
    assertThat(r.anomalies()).extracting(Anomaly::kind).containsExactly("sequence-reused");
    assertThat(r.anomalies().get(0).explanation())
        .contains("PUT a=2 by client 1 at sequence 11")
        .contains("PUT b=7 by client 1 at sequence 11");
  }

  @Test
  void sequenceGoingBackIsReportedAndOrdersNothing() {
    h.put("a", "1").at(0, 10).seq(9).add();
    Op lost = h.put("a", "2").at(20, 30).seq(11).add();
    Op after = h.put("a", "3").at(100, 110).seq(10).add();
    h.get("a", "2").replica("n3").by(5).at(40, 50).add();
    h.get("a", "3").replica("n2").by(5).at(140, 150).add();
    CheckResult r = check();
    assertThat(r.anomalies()).extracting(Anomaly::kind).containsExactly("sequence-regression");
    assertThat(r.anomalies().get(0).ops()).containsExactly(after, lost);
    assertThat(r.anomalies().get(0).explanation())
        .contains("PUT a=2 by client 1 was acknowledged at 0.030000 s with sequence 11")
        .contains("was acknowledged with sequence 10");
  }

  @Test
  void transactionsOccupyOneSequencePerWrite() {
    h.txn(read("a", null), read("b", null), put("a", "1"), put("b", "1")).at(0, 10).seq(8).add();
    h.put("c", "1").at(20, 30).seq(9).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
    h.put("d", "1").at(40, 50).seq(7).add();
    CheckResult r = check();
    assertThat(r.anomalies()).extracting(Anomaly::kind).contains("sequence-reused");
  }

  @Test
  void epochsOrderWritesAcrossAFailover() {
    h.put("a", "1").at(0, 10).seq(11).epoch(1).add();
    h.put("a", "2")
        .at(100, 110)
        .seq(3)
        .epoch(2)
        .add(); // a new history after a reset: epoch says newer
    h.get("a", "1").replica("n2").by(5).at(20, 30).add();
    h.get("a", "2").replica("n2").by(5).at(120, 130).add();
    assertThat(check().status()).isEqualTo(Status.VALID);
  }
}
