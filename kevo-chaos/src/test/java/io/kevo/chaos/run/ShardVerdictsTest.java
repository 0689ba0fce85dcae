package io.kevo.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.CheckResult;
import io.kevo.chaos.check.Ops;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.ShardLayout;
import io.kevo.coordination.ShardRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sharded run's judgement on hand-made histories: shard s1 [-, k010) and s2 [k010, -), then s1
 * splits at k005 into s3 (map version 2, seen at 100 ms), with k007 written on s1 before the split
 * and on s3 after it.
 */
class ShardVerdictsTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final ShardLayout V1 =
      new ShardLayout(
          1,
          List.of(
              new ShardRange("s1", new byte[0], b("k010")), new ShardRange("s2", b("k010"), null)));
  private static final ShardLayout V2 =
      new ShardLayout(
          2,
          List.of(
              new ShardRange("s1", new byte[0], b("k005")),
              new ShardRange("s3", b("k005"), b("k010")),
              new ShardRange("s2", b("k010"), null)));

  private static Ops splitRun() {
    Ops ops = new Ops();
    ops.put("k001", "a").on("s1n1").at(0, 10).seq(1).epoch(1).add();
    ops.put("k007", "b").on("s1n1").at(20, 30).seq(2).epoch(1).add();
    ops.put("k012", "c").on("s2n1").at(20, 30).seq(1).epoch(1).add();
    ops.get("k007", "b").by(2).on("s1n1").at(40, 50).add();
    ops.get("k007", "b").by(2).replica("s1n2").at(60, 70).add();
    ops.put("k007", "d").on("s3n1").at(120, 130).seq(3).epoch(2).add();
    ops.get("k007", "d").by(2).on("s3n1").at(140, 150).add();
    ops.txn(
            Mop.read("k001", "a"),
            Mop.read("k002", null),
            Mop.put("k001", "e"),
            Mop.put("k002", "f"))
        .on("s1n1")
        .at(160, 170)
        .seq(5)
        .epoch(1)
        .add();
    return ops;
  }

  private static List<Fault> maps() {
    return List.of(V1.asFault(0), V2.asFault(Ops.ms(100)));
  }

  private static List<NodeState> finals(String k007) {
    return List.of(
        NodeState.of("s1n1", "primary", 5, Map.of("k001", "e", "k002", "f")),
        NodeState.of("s1n2", "replica", 5, Map.of("k001", "e", "k002", "f")),
        NodeState.of("s2n1", "primary", 1, Map.of("k012", "c")),
        NodeState.of("s3n1", "primary", 3, Map.of("k007", k007)),
        NodeState.of("s3n2", "replica", 3, Map.of("k007", k007)));
  }

  @Test
  void eachShardAndTheMergedHistoryGetAVerdict() {
    History h = new History(splitRun().all(), maps(), finals("d"));

    Verdict v = Judge.judge("replica:1", h);

    assertThat(v.status()).as(v.summary()).isEqualTo(Status.VALID);
    assertThat(v.results())
        .extracting(CheckResult::checker)
        .containsExactly("shard s1", "shard s3", "shard s2", ShardVerdicts.MERGED, "nodes");
    CheckResult s3 = v.result("shard s3");
    assertThat(s3.opsChecked()).as("k007's ops, on s1 before the split and s3 after").isEqualTo(5);
    assertThat(s3.summary()).startsWith("[\"k005\", \"k010\"), 5 ops: linearizable");
    assertThat(v.summary())
        .startsWith("VALID: 8 ops; shard s1 [-, \"k005\"), 2 ops: linearizable")
        .contains("; shard s3 [\"k005\", \"k010\"), 5 ops: ")
        .contains("; merged 8 ops: linearizable")
        .endsWith("; every node stayed up unless killed and restarted");
    assertThat(s3.details())
        .containsEntry("lost-writes.acknowledgedWrites", "2")
        .containsKey("convergence.digest.s3n2")
        .hasEntrySatisfying("linearizability", d -> assertThat(d).startsWith("VALID: "));
    CheckResult merged = v.result(ShardVerdicts.MERGED);
    assertThat(merged.summary())
        .startsWith("8 ops: linearizable on the shards' primaries")
        .contains("every acknowledged write taken by its key's shard (5 writes, 2 maps)");
    assertThat(merged.details()).containsKeys("linearizability", "lost-writes", "shard-ownership");
  }

  @Test
  void aWriteLostInTheMoveFailsItsShardAndTheMergedVerdict() {
    History h = new History(splitRun().all(), maps(), finals("b"));

    Verdict v = Judge.judge("replica:1", h);

    assertThat(v.status()).isEqualTo(Status.INVALID);
    assertThat(v.result("shard s3").status()).isEqualTo(Status.INVALID);
    assertThat(v.result("shard s3").anomalies().get(0).kind()).isEqualTo("lost-write");
    assertThat(v.result("shard s1").status()).isEqualTo(Status.VALID);
    assertThat(v.result("shard s2").status()).isEqualTo(Status.VALID);
    assertThat(v.result(ShardVerdicts.MERGED).status()).isEqualTo(Status.INVALID);
  }

  @Test
  void aShardWithoutOnePrimaryAtTheEndLeavesTheMergedLostWritesUnknown() {
    List<NodeState> noS2Primary =
        finals("d").stream().filter(s -> !s.node().equals("s2n1")).toList();
    History h = new History(splitRun().all(), maps(), noS2Primary);

    assertThat(ShardVerdicts.primaries(h, V2)).isNull();
    Verdict v = Judge.judge("replica:1", h);
    assertThat(v.result(ShardVerdicts.MERGED).status()).isEqualTo(Status.UNKNOWN);
    assertThat(v.result("shard s2").status()).isEqualTo(Status.UNKNOWN);
    assertThat(v.result("shard s1").status()).isEqualTo(Status.VALID);
  }

  @Test
  void atAsyncTheMergedVerdictLeavesSequencesToTheShards() {
    History h = new History(splitRun().all(), maps(), finals("d"));

    Verdict v = Judge.judge("async", h);

    assertThat(v.status()).isEqualTo(Status.VALID);
    assertThat(v.result(ShardVerdicts.MERGED).summary())
        .contains("judged per shard at async")
        .doesNotContain("linearizable");
  }

  @Test
  void anUnshardedHistoryIsJudgedAsBefore() {
    Ops ops = new Ops();
    ops.put("k", "a").at(0, 10).seq(1).add();
    History h =
        new History(
            ops.all(), List.of(), List.of(NodeState.of("n1", "primary", 1, Map.of("k", "a"))));
    assertThat(Judge.judge("replica:1", h).results())
        .extracting(CheckResult::checker)
        .containsExactly("linearizability", "lost-writes", "replica-reads", "convergence", "nodes");
  }
}
