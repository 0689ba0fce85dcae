package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ShardMapTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anEvenSplitCutsTheKeySpaceByItsFirstTwoBytes() {
    ShardMap map = ShardMap.even(4);

    assertThat(map.version()).isEqualTo(1);
    assertThat(map.shards())
        .extracting(ShardRange::describe)
        .containsExactly("[-, 4000)", "[4000, 8000)", "[8000, c000)", "[c000, -)");
    assertThat(map.shards()).extracting(ShardRange::id).containsExactly("s1", "s2", "s3", "s4");
    assertThat(map.ownerOf(new byte[0]).id()).isEqualTo("s1");
    assertThat(map.ownerOf(new byte[] {0x3f, (byte) 0xff, 0x7f}).id()).isEqualTo("s1");
    assertThat(map.ownerOf(new byte[] {0x40}).id()).as("0x40 sorts before 0x4000").isEqualTo("s1");
    assertThat(map.ownerOf(new byte[] {0x40, 0x00}).id()).isEqualTo("s2");
    assertThat(map.ownerOf(new byte[] {(byte) 0xff, (byte) 0xff, 1}).id()).isEqualTo("s4");
  }

  @Test
  void aPrefixsRangeEndsAtTheFirstKeyPastIt() {
    assertThat(ShardRange.prefixEnd(b("ab"))).isEqualTo(b("ac"));
    assertThat(ShardRange.prefixEnd(new byte[] {'a', (byte) 0xff})).isEqualTo(b("b"));
    assertThat(ShardRange.prefixEnd(new byte[] {(byte) 0xff, (byte) 0xff})).isNull();
  }

  @Test
  void oneShardOwnsEverything() {
    ShardMap map = ShardMap.even(1);
    assertThat(map.shards()).singleElement().extracting(ShardRange::describe).isEqualTo("[-, -)");
    assertThat(map.ownerOf(b("anything")).id()).isEqualTo("s1");
  }

  @Test
  void givenSplitPointsStartTheNextShard() {
    ShardMap map = ShardMap.splitAt(List.of(b("h"), b("p")));

    assertThat(map.ownerOf(b("apple")).id()).isEqualTo("s1");
    assertThat(map.ownerOf(b("h")).id()).isEqualTo("s2");
    assertThat(map.ownerOf(b("grape")).id()).isEqualTo("s1");
    assertThat(map.ownerOf(b("orange")).id()).isEqualTo("s2");
    assertThat(map.ownerOf(b("pear")).id()).isEqualTo("s3");
    assertThat(map.shard("s2").orElseThrow().contains(b("kiwi"))).isTrue();
    assertThat(map.shard("s2").orElseThrow().contains(b("p"))).isFalse();
    assertThat(map.shard("s9")).isEmpty();
  }

  @Test
  void badSplitPointsAndGapsAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> ShardMap.splitAt(List.of(b("p"), b("h"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("split points must ascend: 68 is not after 70");
    assertThatThrownBy(() -> ShardMap.splitAt(List.of(new byte[0])))
        .hasMessage("a split point cannot be the empty key");
    assertThatThrownBy(() -> ShardMap.even(0)).hasMessage("shards must be 1 to 4096, got 0");
    assertThatThrownBy(
            () ->
                new ShardMap(
                    2,
                    List.of(
                        new ShardRange("a", new byte[0], b("h")),
                        new ShardRange("b", b("i"), null))))
        .hasMessage("shard b starts at 69 where the previous shard ends, 68");
    assertThatThrownBy(
            () ->
                new ShardMap(
                    2,
                    List.of(
                        new ShardRange("a", new byte[0], b("h")),
                        new ShardRange("a", b("h"), null))))
        .hasMessage("shard id a appears twice");
    assertThatThrownBy(() -> new ShardMap(1, List.of(new ShardRange("a", new byte[0], b("h")))))
        .hasMessage("the last shard, a, must have no end");
    assertThatThrownBy(() -> new ShardRange("a", b("h"), b("h")))
        .hasMessage("shard a owns no key: its end 68 is not after its start 68");
    assertThatThrownBy(() -> new ShardRange("a/b", new byte[0], null))
        .hasMessageStartingWith("shard id must be");
  }

  @Property(tries = 200)
  void everyKeyHasExactlyOneOwnerAndOwnerOfFindsIt(
      @ForAll @IntRange(min = 1, max = 300) int shards, @ForAll @Size(max = 6) byte[] key) {
    ShardMap map = ShardMap.even(shards);
    List<ShardRange> containing = map.shards().stream().filter(r -> r.contains(key)).toList();
    assertThat(containing).hasSize(1);
    assertThat(map.ownerOf(key)).isEqualTo(containing.get(0));
  }

  @Test
  void theCodecRoundTripsAndRefusesWhatIsNotAMap() {
    ShardMap map =
        new ShardMap(
            7,
            List.of(
                new ShardRange("s1", new byte[0], new byte[] {0x00, (byte) 0xff}),
                new ShardRange("s3", new byte[] {0x00, (byte) 0xff}, null)));
    byte[] json = ShardMapCodec.encode(map);

    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"version\":7,\"shards\":[{\"id\":\"s1\",\"start\":\"\",\"end\":\"00ff\"},"
                + "{\"id\":\"s3\",\"start\":\"00ff\",\"end\":null}]}");
    assertThat(ShardMapCodec.decode(json)).isEqualTo(map);

    byte[] random = new byte[40];
    new Random(5).nextBytes(random);
    for (byte[] bad :
        List.of(
            b("{\"version\":1}"),
            b("{\"version\":1,\"shards\":[{\"id\":\"s1\",\"start\":\"zz\",\"end\":null}]}"),
            b("{\"version\":0,\"shards\":[{\"id\":\"s1\",\"start\":\"\",\"end\":null}]}"),
            b("{\"version\":1,\"shards\":[{\"id\":\"s1\",\"end\":null}]}"),
            random)) {
      assertThatThrownBy(() -> ShardMapCodec.decode(bad))
          .isInstanceOf(CoordinationException.class)
          .hasMessageStartingWith("unreadable shard map: ");
    }
  }
}
