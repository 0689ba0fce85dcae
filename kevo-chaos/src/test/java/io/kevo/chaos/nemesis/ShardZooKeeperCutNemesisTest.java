package io.kevo.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.Ops;
import org.junit.jupiter.api.Test;

class ShardZooKeeperCutNemesisTest {
  @Test
  void theOtherShardsWritesDuringTheCutAreCountedByShard() {
    Ops ops = new Ops();
    ops.put("k011", "a").on("s2n1").at(10, 20).add();
    ops.put("k012", "b").on("s2n2").at(30, 40).add();
    ops.put("k001", "c").on("s1n1").at(30, 40).add(); // the cut shard's
    ops.put("k006", "d").on("s3n1").at(30, 40).add();
    ops.put("k013", "e").on("s2n1").at(30, 40).fail().add();
    ops.get("k013", null).on("s2n1").at(30, 40).add();
    ops.put("k014", "f").on("s2n1").at(200, 210).add(); // after the cut

    assertThat(ShardZooKeeperCutNemesis.othersWrites(ops.all(), "s1", Ops.ms(15), Ops.ms(100)))
        .isEqualTo("3 writes (s2 2, s3 1)");
    assertThat(ShardZooKeeperCutNemesis.othersWrites(ops.all(), "s1", 0, 1)).isEqualTo("0 writes");
  }
}
