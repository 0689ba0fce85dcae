package io.kevo.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.coordination.ShardRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardLayoutTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** s1 [-, k005) s3 [k005, k010) s2 [k010, -): map version 2 after a split of s1 at k005. */
  static ShardLayout afterSplit() {
    return new ShardLayout(
        2,
        List.of(
            new ShardRange("s1", new byte[0], b("k005")),
            new ShardRange("s3", b("k005"), b("k010")),
            new ShardRange("s2", b("k010"), null)));
  }

  @Test
  void aMapReadsBackFromItsTextExactly() {
    ShardLayout m = afterSplit();
    assertThat(m.text())
        .isEqualTo("version 2: s1 [-, \"k005\") s3 [\"k005\", \"k010\") s2 [\"k010\", -)");
    assertThat(ShardLayout.parse(m.text())).isEqualTo(m);
  }

  @Test
  void keysWithAnyBytesAreEscapedAndReadBack() {
    ShardLayout odd =
        new ShardLayout(
            7,
            List.of(
                new ShardRange("a", new byte[0], new byte[] {'a', ' ', '"', ')', (byte) 0xff}),
                new ShardRange("b", new byte[] {'a', ' ', '"', ')', (byte) 0xff}, null)));
    assertThat(odd.text()).contains("\"a\\x20\\x22\\x29\\xff\"");
    assertThat(ShardLayout.parse(odd.text())).isEqualTo(odd);
  }

  @Test
  void aTextThatIsNotAMapIsRefused() {
    assertThatThrownBy(() -> ShardLayout.parse("version 2: s1 [-, -) trailing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a shard map");
    assertThatThrownBy(() -> ShardLayout.parse("promoted n2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachKeyHasOneOwnerInUnsignedByteOrder() {
    ShardLayout m = afterSplit();
    assertThat(m.ownerOf("k000")).isEqualTo("s1");
    assertThat(m.ownerOf("big07")).isEqualTo("s1");
    assertThat(m.ownerOf("k005")).isEqualTo("s3");
    assertThat(m.ownerOf("k009")).isEqualTo("s3");
    assertThat(m.ownerOf("k010")).isEqualTo("s2");
    assertThat(m.ownerOf("\u00e9")).isEqualTo("s2"); // 0xc3 0xa9: above every ASCII key
    assertThat(m.shards()).containsExactly("s1", "s3", "s2");
    assertThat(m.range("s3")).map(ShardLayout::text).contains("[\"k005\", \"k010\")");
  }

  @Test
  void nodesAreNamedForTheirShard() {
    assertThat(ShardLayout.nodeName("s3", 2)).isEqualTo("s3n2");
    assertThat(ShardLayout.shardOfNode("s3n2")).isEqualTo("s3");
    assertThat(ShardLayout.shardOfNode("s12n10")).isEqualTo("s12");
    assertThat(ShardLayout.shardOfNode("n1")).isNull();
    assertThat(ShardLayout.shardOfNode("primary")).isNull();
  }

  @Test
  void theLastMapRecordedIsTheFinalOne() {
    ShardLayout first =
        new ShardLayout(
            1,
            List.of(
                new ShardRange("s1", new byte[0], b("k010")),
                new ShardRange("s2", b("k010"), null)));
    List<Fault> faults =
        List.of(
            new Fault("kill", "s1n1", 5, 9, "kill -9"), afterSplit().asFault(50), first.asFault(1));
    assertThat(ShardLayout.seenIn(faults))
        .extracting(ShardLayout.Seen::nanos)
        .containsExactly(1L, 50L);
    assertThat(ShardLayout.last(faults)).contains(afterSplit());
    assertThat(ShardLayout.last(List.of(new Fault("kill", "n1", 1, 2, "")))).isEmpty();
  }

  @Test
  void aShardsPartHoldsItsKeysWholeHistoryWhicheverNodeServedThem() {
    Op txn =
        new Op(
            1,
            1,
            "s1n1",
            Op.Target.PRIMARY,
            Op.Kind.TXN,
            List.of(
                Mop.read("k004", null),
                Mop.read("k006", null),
                Mop.put("k004", "a"),
                Mop.put("k006", "b")),
            0,
            10,
            Outcome.OK,
            null,
            12,
            1,
            0);
    Op movedAfter =
        new Op(
            2,
            1,
            "s3n2",
            Op.Target.PRIMARY,
            Op.Kind.PUT,
            List.of(Mop.put("k006", "c")),
            20,
            30,
            Outcome.OK,
            null,
            20,
            3,
            0);
    Op elsewhere =
        new Op(
            3,
            2,
            "s2n1",
            Op.Target.PRIMARY,
            Op.Kind.PUT,
            List.of(Mop.put("k011", "d")),
            20,
            30,
            Outcome.OK,
            null,
            5,
            1,
            0);
    History h =
        new History(
            List.of(txn, movedAfter, elsewhere),
            List.of(afterSplit().asFault(15)),
            List.of(
                NodeState.of("s1n1", "primary", 12, Map.of("k004", "a")),
                NodeState.of("s3n1", "primary", 20, Map.of("k006", "c")),
                NodeState.of("s3n2", "replica", 20, Map.of("k006", "c")),
                NodeState.of("s2n1", "primary", 5, Map.of("k011", "d"))));

    History s3 = afterSplit().part(h, "s3");

    assertThat(s3.ops()).extracting(Op::id).containsExactly(1L, 2L);
    assertThat(s3.ops().get(0).mops())
        .containsExactly(Mop.read("k006", null), Mop.put("k006", "b"));
    assertThat(s3.ops().get(0).node()).as("the node it went to stays").isEqualTo("s1n1");
    assertThat(s3.ops().get(1)).isEqualTo(movedAfter);
    assertThat(s3.finalStates()).extracting(NodeState::node).containsExactly("s3n1", "s3n2");
    assertThat(s3.faults()).hasSize(1);
    assertThat(afterSplit().part(h, "s1").ops().get(0).mops())
        .containsExactly(Mop.read("k004", null), Mop.put("k004", "a"));
    assertThatThrownBy(() -> afterSplit().part(h, "s9"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
