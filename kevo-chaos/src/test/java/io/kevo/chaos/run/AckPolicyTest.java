package io.kevo.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.HistoryChecker;
import io.kevo.chaos.check.LinearizabilityChecker;
import io.kevo.chaos.check.Ops;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.NodeState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AckPolicyTest {
  /**
   * Epoch 1 on n1 acknowledges k=a (seq 1) and k=b (seq 2); n1 dies before any replica has b; n2 is
   * promoted as epoch 2 from sequence 2 and writes k=c (seq 2, reused); a read in between, on n2,
   * saw a.
   */
  private static History lossyFailover() {
    Ops ops = new Ops();
    write(ops, "n1", "a", 0, 10, 1, 1);
    write(ops, "n1", "b", 20, 30, 2, 1);
    read(ops, "n2", "a", 200, 210);
    write(ops, "n2", "c", 300, 310, 2, 2);
    read(ops, "n2", "c", 400, 410);
    NodeState end = NodeState.of("n2", "primary", 2, Map.of("k", "c"));
    return new History(
        ops.all(),
        List.of(failoverToN2()),
        List.of(end, NodeState.of("n1", "replica", 2, Map.of("k", "c"))));
  }

  /** n1 fails at 50 ms; n2 is promoted as epoch 2 from sequence 2 by 150 ms. */
  private static Fault failoverToN2() {
    return new Fault(
        "failover",
        "n1",
        Ops.ms(50),
        Ops.ms(150),
        "promoted n2 at sequence 1 (promoted: epoch 2 (term t2, from sequence 2))");
  }

  /**
   * Client 1 puts k=v on {@code node} as the primary, acknowledged at {@code seq} in {@code epoch}.
   */
  private static void write(
      Ops ops, String node, String v, long at, long done, long seq, long epoch) {
    ops.put("k", v).on(node).at(at, done).seq(seq).epoch(epoch).add();
  }

  /** Client 2 reads k=v on {@code node} as the primary. */
  private static void read(Ops ops, String node, String v, long at, long done) {
    ops.get("k", v).by(2).on(node).at(at, done).add();
  }

  @Test
  void aWriteWhoseSequenceALaterEpochReusedIsTheOneLostToTheFailover() {
    History h = lossyFailover();
    assertThat(AckPolicy.lostToFailover(h.ops(), h.faults())).containsExactly(2L);
  }

  @Test
  void atAsyncTheLossIsAllowedAndTheRestOfTheHistoryIsChecked() {
    History h = lossyFailover();
    Verdict checked = new HistoryChecker(CheckOptions.DEFAULT).check(h);
    assertThat(checked.result(LinearizabilityChecker.NAME).status()).isEqualTo(Status.INVALID);

    Verdict async = AckPolicy.apply("async", checked, h, CheckOptions.DEFAULT);
    assertThat(async.status()).as(async.summary()).isEqualTo(Status.VALID);
    assertThat(async.result(AckPolicy.NAME).anomalyCount()).isEqualTo(1);
    assertThat(async.result(AckPolicy.NAME).anomalies().get(0).ops().get(0).id()).isEqualTo(2);
  }

  @Test
  void atReplicaOneTheSameLossIsAnAnomaly() {
    History h = lossyFailover();
    Verdict checked = new HistoryChecker(CheckOptions.DEFAULT).check(h);
    assertThat(AckPolicy.apply("replica:1", checked, h, CheckOptions.DEFAULT).status())
        .isEqualTo(Status.INVALID);
  }

  @Test
  void atAsyncAPrimaryReadOfTheDiscardedBranchIsSetAside() {
    // n1 (epoch 1) deletes k with an unknown outcome; a read on n1 at sequence 2 sees k absent;
    // n2 is promoted as epoch 2 from sequence 2 without the delete, and reads a again.
    Ops ops = new Ops();
    write(ops, "n1", "a", 0, 10, 1, 1);
    ops.delete("k").on("n1").at(20, 30).unknown("UNAVAILABLE").add();
    ops.get("k", null).by(2).on("n1").at(40, 45).seq(2).epoch(1).minSeq(1).add();
    read(ops, "n2", "a", 200, 210);
    History h =
        new History(
            ops.all(),
            List.of(failoverToN2()),
            List.of(NodeState.of("n2", "primary", 1, Map.of("k", "a"))));
    Verdict checked = new HistoryChecker(CheckOptions.DEFAULT).check(h);
    assertThat(checked.status()).isEqualTo(Status.INVALID);
    assertThat(AckPolicy.apply("async", checked, h, CheckOptions.DEFAULT).status())
        .isEqualTo(Status.VALID);
    assertThat(AckPolicy.apply("replica:1", checked, h, CheckOptions.DEFAULT).status())
        .isEqualTo(Status.INVALID);
  }

  @Test
  void atAsyncAReplicaReadOfTheDiscardedBranchIsSetAside() {
    // n1 (epoch 1) writes k=a (seq 1) and j=x (seq 2, lost); n2 is promoted as epoch 2 from
    // sequence 2 and client 1 writes k=c there (seq 2); replica n3, still on n1's branch at
    // sequence 2, answers client 1's read with token 2: k=a, older than the client's own write.
    Ops ops = new Ops();
    write(ops, "n1", "a", 0, 10, 1, 1);
    ops.put("j", "x").by(2).on("n1").at(20, 30).seq(2).epoch(1).add();
    write(ops, "n2", "c", 200, 210, 2, 2);
    ops.get("k", "a").replica("n3").at(220, 230).seq(2).epoch(1).minSeq(2).add();
    History h =
        new History(
            ops.all(),
            List.of(failoverToN2()),
            List.of(NodeState.of("n2", "primary", 2, Map.of("k", "c"))));
    Verdict checked = new HistoryChecker(CheckOptions.DEFAULT).check(h);
    assertThat(checked.status()).isEqualTo(Status.INVALID);
    Verdict async = AckPolicy.apply("async", checked, h, CheckOptions.DEFAULT);
    assertThat(async.status()).as(async.summary()).isEqualTo(Status.VALID);
    assertThat(AckPolicy.apply("replica:1", checked, h, CheckOptions.DEFAULT).status())
        .isEqualTo(Status.INVALID);
  }

  @Test
  void atAsyncALossWithoutAFailoverIsStillAnAnomaly() {
    // The same writes, but n1 only restarted (same epoch): nothing excuses losing b.
    Ops ops = new Ops();
    write(ops, "n1", "a", 0, 10, 1, 1);
    write(ops, "n1", "b", 20, 30, 2, 1);
    read(ops, "n1", "a", 200, 210);
    History h =
        new History(
            ops.all(), List.of(), List.of(NodeState.of("n1", "primary", 1, Map.of("k", "a"))));
    Verdict checked = new HistoryChecker(CheckOptions.DEFAULT).check(h);
    assertThat(AckPolicy.apply("async", checked, h, CheckOptions.DEFAULT).status())
        .isEqualTo(Status.INVALID);
  }
}
