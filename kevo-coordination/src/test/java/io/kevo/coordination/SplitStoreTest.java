package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SplitStoreTest {
  private TestingServer server;
  private Coordinator coordinator;

  @BeforeEach
  void start() throws Exception {
    server = ZkTestSupport.startServer();
    coordinator = ZkTestSupport.connect(server, "shop");
  }

  @AfterEach
  void stop() throws Exception {
    coordinator.close();
    server.close();
  }

  private static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSplitIsRecordedOnceAndEachStepIsAConditionalWrite() {
    SplitStore store = new SplitStore(coordinator);
    assertThat(store.path("s1")).isEqualTo("/kevo/clusters/shop/splits/s1");
    assertThat(store.read("s1")).isEmpty();
    assertThat(store.all()).isEmpty();

    SplitStore.Held begun = store.create(SplitRecord.begin("s1", "s3", key("m"), 1, 1000));
    assertThat(store.read("s1").orElseThrow().record()).isEqualTo(begun.record());
    assertThat(store.into("s3")).map(SplitStore.Held::record).contains(begun.record());
    assertThat(store.into("s1")).isEmpty();
    assertThatThrownBy(() -> store.create(SplitRecord.begin("s1", "s4", key("q"), 1, 2000)))
        .isInstanceOf(CoordinationException.class)
        .hasMessageContaining("a split of shard s1 is under way: s1 into s3 at \"m\" (LEARNING)");

    SplitStore.Held fencing = store.replace(begun, begun.record().fencing(1500)).orElseThrow();
    // A writer holding the old version loses: the fence step is not overwritten.
    assertThat(store.replace(begun, begun.record().aborted("late"))).isEmpty();
    SplitStore.Held fenced = store.replace(fencing, fencing.record().fenced(4, 1234)).orElseThrow();
    SplitRecord read = store.read("s1").orElseThrow().record();
    assertThat(read.state()).isEqualTo(SplitRecord.State.FENCED);
    assertThat(read.fenceEpoch()).isEqualTo(4);
    assertThat(read.fenceSequence()).isEqualTo(1234);
    assertThat(read.fencedMillis()).isEqualTo(1500);
    assertThat(read.at()).isEqualTo(key("m"));
    assertThat(read.fencesSource()).isTrue();

    store.replace(fenced, fenced.record().in(SplitRecord.State.DONE)).orElseThrow();
    assertThat(store.into("s3")).isEmpty(); // ended
    // The next split of s1 replaces the ended one.
    SplitStore.Held next = store.create(SplitRecord.begin("s1", "s4", key("f"), 2, 3000));
    assertThat(store.read("s1").orElseThrow().record()).isEqualTo(next.record());
    assertThat(store.all()).hasSize(1);
  }

  @Test
  void anUnreadableRecordIsAClearError() throws Exception {
    SplitStore store = new SplitStore(coordinator);
    coordinator
        .client()
        .create()
        .creatingParentsIfNeeded()
        .forPath(store.path("s1"), b("{not json"));

    assertThatThrownBy(() -> store.read("s1"))
        .isInstanceOf(CoordinationException.class)
        .hasMessageStartingWith("unreadable split record at /kevo/clusters/shop/splits/s1");
  }

  @Test
  void aRecordChecksItsFieldsAndSaysWhichKeysMove() {
    SplitRecord r = SplitRecord.begin("s1", "s3", b("g"), 4, 0);
    assertThat(r.moves(b("g"))).isTrue();
    assertThat(r.moves(b("h"))).isTrue();
    assertThat(r.moves(b("f"))).isFalse();
    assertThat(r.fencesSource()).isFalse();
    assertThat(r.fencing(9).fencesSource()).isTrue();
    assertThat(r.aborted("why").fencesSource()).isFalse();
    assertThat(r.aborted("why").note()).isEqualTo("why");
    assertThat(r).isEqualTo(SplitRecord.begin("s1", "s3", b("g"), 4, 0));
    assertThat(r.hashCode()).isEqualTo(SplitRecord.begin("s1", "s3", b("g"), 4, 0).hashCode());
    assertThat(r).isNotEqualTo(SplitRecord.begin("s1", "s3", b("h"), 4, 0));
    assertThat(r.toString()).contains("s1 into s3 at \"g\" (LEARNING)", "map v4");
    assertThatThrownBy(() -> SplitRecord.begin("s1", "s3", new byte[0], 1, 0))
        .hasMessage("a split point cannot be the empty key");
    assertThatThrownBy(() -> SplitRecord.begin("s1", "s1", b("g"), 1, 0))
        .hasMessage("a shard cannot split into itself: s1");
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theMapSplitsOnlyInsideTheShard() {
    ShardMap map = ShardMap.splitAt(java.util.List.of(key("m")));
    ShardMap next = map.split("s1", key("f"), "s3");
    assertThat(next.version()).isEqualTo(2);
    assertThat(next.shards()).extracting(ShardRange::id).containsExactly("s1", "s3", "s2");
    assertThat(next.ownerOf(key("e")).id()).isEqualTo("s1");
    assertThat(next.ownerOf(key("f")).id()).isEqualTo("s3");
    assertThat(next.ownerOf(key("l")).id()).isEqualTo("s3");
    assertThat(next.ownerOf(key("m")).id()).isEqualTo("s2");
    assertThatThrownBy(() -> map.split("s1", key("q"), "s3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not inside shard s1");
    assertThatThrownBy(() -> map.split("s2", key("m"), "s3"))
        .hasMessageContaining("is not inside shard s2");
    assertThatThrownBy(() -> map.split("s1", key("f"), "s2"))
        .hasMessageContaining("already has a shard s2");
    assertThatThrownBy(() -> map.split("s9", key("f"), "s3")).hasMessageContaining("no shard s9");
  }
}
