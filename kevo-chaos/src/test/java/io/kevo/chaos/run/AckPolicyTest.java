package io.kevo.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckOptions;
import io.kevo.chaos.check.HistoryChecker;
import io.kevo.chaos.check.LinearizabilityChecker;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AckPolicyTest {
  private static final long MS = 1_000_000;

  /**
   * Epoch 1 on n1 acknowledges k=a (seq 1) and k=b (seq 2); n1 dies before any replica has b; n2 is
   * promoted as epoch 2 from sequence 2 and writes k=c (seq 2, reused); a read in between, on n2,
   * saw a.
   */
  private static History lossyFailover() {
    List<Op> ops = new ArrayList<>();
    ops.add(write(1, "n1", "a", 0, 10, 1, 1));
    ops.add(write(2, "n1", "b", 20, 30, 2, 1));
    ops.add(read(3, "n2", "a", 200, 210));
    ops.add(write(4, "n2", "c", 300, 310, 2, 2));
    ops.add(read(5, "n2", "c", 400, 410));
    Fault failover =
        new Fault(
            "failover",
            "n1",
            50 * MS,
            150 * MS,
            "promoted n2 at sequence 1 (promoted: epoch 2 (term t2, from sequence 2))");
    NodeState end = NodeState.of("n2", "primary", 2, Map.of("k", "c"));
    return new History(
        ops, List.of(failover), List.of(end, NodeState.of("n1", "replica", 2, Map.of("k", "c"))));
  }

  private static Op write(
      long id, String node, String v, long at, long done, long seq, long epoch) {
    return new Op(
        id,
        1,
        node,
        Op.Target.PRIMARY,
        Op.Kind.PUT,
        List.of(Mop.put("k", v)),
        at * MS,
        done * MS,
        Outcome.OK,
        null,
        seq,
        epoch,
        0);
  }

  private static Op read(long id, String node, String v, long at, long done) {
    return new Op(
        id,
        2,
        node,
        Op.Target.PRIMARY,
        Op.Kind.GET,
        List.of(Mop.read("k", v)),
        at * MS,
        done * MS,
        Outcome.OK,
        null,
        0,
        0,
        0);
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
    List<Op> ops = new ArrayList<>();
    ops.add(write(1, "n1", "a", 0, 10, 1, 1));
    ops.add(
        new Op(
            2,
            1,
            "n1",
            Op.Target.PRIMARY,
            Op.Kind.DELETE,
            List.of(Mop.delete("k")),
            20 * MS,
            30 * MS,
            Outcome.UNKNOWN,
            "UNAVAILABLE",
            0,
            0,
            0));
    ops.add(
        new Op(
            3,
            2,
            "n1",
            Op.Target.PRIMARY,
            Op.Kind.GET,
            List.of(Mop.read("k", null)),
            40 * MS,
            45 * MS,
            Outcome.OK,
            null,
            2,
            1,
            1));
    ops.add(read(4, "n2", "a", 200, 210));
    Fault failover =
        new Fault(
            "failover",
            "n1",
            50 * MS,
            150 * MS,
            "promoted n2 at sequence 1 (promoted: epoch 2 (term t2, from sequence 2))");
    History h =
        new History(
            ops, List.of(failover), List.of(NodeState.of("n2", "primary", 1, Map.of("k", "a"))));
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
    List<Op> ops = new ArrayList<>();
    ops.add(write(1, "n1", "a", 0, 10, 1, 1));
    ops.add(
        new Op(
            2,
            2,
            "n1",
            Op.Target.PRIMARY,
            Op.Kind.PUT,
            List.of(Mop.put("j", "x")),
            20 * MS,
            30 * MS,
            Outcome.OK,
            null,
            2,
            1,
            0));
    ops.add(write(3, "n2", "c", 200, 210, 2, 2));
    ops.add(
        new Op(
            4,
            1,
            "n3",
            Op.Target.REPLICA,
            Op.Kind.GET,
            List.of(Mop.read("k", "a")),
            220 * MS,
            230 * MS,
            Outcome.OK,
            null,
            2,
            1,
            2));
    Fault failover =
        new Fault(
            "failover",
            "n1",
            50 * MS,
            150 * MS,
            "promoted n2 at sequence 1 (promoted: epoch 2 (term t2, from sequence 2))");
    History h =
        new History(
            ops, List.of(failover), List.of(NodeState.of("n2", "primary", 2, Map.of("k", "c"))));
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
    List<Op> ops = new ArrayList<>();
    ops.add(write(1, "n1", "a", 0, 10, 1, 1));
    ops.add(write(2, "n1", "b", 20, 30, 2, 1));
    ops.add(read(3, "n1", "a", 200, 210));
    History h =
        new History(ops, List.of(), List.of(NodeState.of("n1", "primary", 1, Map.of("k", "a"))));
    Verdict checked = new HistoryChecker(CheckOptions.DEFAULT).check(h);
    assertThat(AckPolicy.apply("async", checked, h, CheckOptions.DEFAULT).status())
        .isEqualTo(Status.INVALID);
  }
}
