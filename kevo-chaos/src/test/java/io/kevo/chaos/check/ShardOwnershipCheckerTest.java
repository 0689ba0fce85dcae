package io.kevo.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.ShardLayout;
import io.kevo.coordination.ShardRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardOwnershipCheckerTest {
  private static final ShardOwnershipChecker CHECKER =
      new ShardOwnershipChecker(CheckOptions.DEFAULT);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** v1 (s1 [-, k010), s2 [k010, -)) seen at 0 ms; v2 (s3 takes [k005, k010)) seen at 100 ms. */
  private static List<ShardLayout.Seen> maps() {
    ShardLayout v1 =
        new ShardLayout(
            1,
            List.of(
                new ShardRange("s1", new byte[0], b("k010")),
                new ShardRange("s2", b("k010"), null)));
    ShardLayout v2 =
        new ShardLayout(
            2,
            List.of(
                new ShardRange("s1", new byte[0], b("k005")),
                new ShardRange("s3", b("k005"), b("k010")),
                new ShardRange("s2", b("k010"), null)));
    return List.of(new ShardLayout.Seen(0, v1), new ShardLayout.Seen(Ops.ms(100), v2));
  }

  @Test
  void writesTakenByTheirKeysShardAroundASplitPass() {
    Ops ops = new Ops();
    ops.put("k007", "a").on("s1n1").at(10, 20).add(); // the source, before the split
    ops.put("k007", "b").on("s1n1").at(90, 95).add(); // the source, just before the harness saw v2
    ops.put("k007", "c").on("s3n1").at(95, 99).add(); // the new shard, flipped before it was seen
    ops.put("k007", "d").on("s3n2").at(120, 130).add();
    ops.put("k001", "e").on("s1n2").at(120, 130).add();
    ops.put("k012", "f").on("s2n1").at(10, 130).add();
    ops.put("k007", "x").on("s2n1").at(10, 20).fail().add();
    ops.get("k007", "a").on("s2n1").at(10, 20).add(); // reads are the other checkers' business
    ops.put("k007", "y").on("n1").at(10, 20).add(); // a node of no shard: not judged

    CheckResult r = CHECKER.check(ops.all(), maps());

    assertThat(r.status()).as(r.summary()).isEqualTo(Status.VALID);
    assertThat(r.opsChecked()).isEqualTo(6);
    assertThat(r.summary()).contains("6 writes, 2 maps");
    assertThat(r.details()).containsEntry("finalMapVersion", "2");
  }

  @Test
  void aWriteTheOldOwnerAcknowledgedAfterTheFlipWasSeenIsCaught() {
    Ops ops = new Ops();
    ops.put("k007", "late").on("s1n2").at(110, 120).add();
    ops.txn(
            io.kevo.chaos.history.Mop.read("k001", null),
            io.kevo.chaos.history.Mop.put("k011", "z"))
        .on("s1n1")
        .at(10, 20)
        .add();

    CheckResult r = CHECKER.check(ops.all(), maps());

    assertThat(r.status()).isEqualTo(Status.INVALID);
    assertThat(r.anomalyCount()).isEqualTo(2);
    Anomaly late = r.anomalies().get(0);
    assertThat(late.kind()).isEqualTo("write-outside-its-shard");
    assertThat(late.key()).isEqualTo("k007");
    assertThat(late.explanation())
        .contains("acknowledged by s1n2 of shard s1")
        .contains("map version 2 (seen at")
        .contains("gives it to s3");
    assertThat(r.anomalies().get(1).key()).isEqualTo("k011");
  }

  @Test
  void withoutAMapNothingIsKnown() {
    Ops ops = new Ops();
    ops.put("k007", "a").on("s1n1").at(10, 20).add();
    assertThat(CHECKER.check(ops.all(), List.of()).status()).isEqualTo(Status.UNKNOWN);
  }
}
