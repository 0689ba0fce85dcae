package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.ShardRange;
import io.kevo.engine.KeyRange;
import io.kevo.engine.Options;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code zk://} client of a sharded cluster routes by key: real nodes in this JVM, one per shard
 * of a map split at {@code m} (then at {@code g}), each started for its shard ({@code --shard}) on
 * a real ZooKeeper (Curator's TestingServer). Each key lands on its shard's node alone; a scan
 * reads across shards in key order; a batch over two shards is refused before anything is sent;
 * calls about one group point to {@link KevoClient#shard}; and after the map changes under the
 * client, keys go to their new owner.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShardedClientTest extends ShardedNodesBase {
  @Test
  void routesEachKeyToItsShardAndScansAcrossShardsInKeyOrder() throws Exception {
    new ShardMapStore(admin).create(ShardMap.splitAt(List.of(b("m"))));
    KevoServer s1 = node("a1", "s1");
    KevoServer s2 = node("b1", "s2");
    KevoClient c = client();

    for (String k : List.of("apple", "kiwi", "melon", "zebra", "banana", "pear")) {
      c.put(b(k), b("v-" + k));
    }

    assertThat(c.get(b("zebra")).map(ShardedClientTest::s)).contains("v-zebra");
    assertThat(c.get(b("apple")).map(ShardedClientTest::s)).contains("v-apple");
    assertThat(c.getAsync(b("pear")).get().map(ShardedClientTest::s)).contains("v-pear");
    // Each key is on its shard's node alone.
    try (KevoClient direct1 = KevoClient.connect(s1.address());
        KevoClient direct2 = KevoClient.connect(s2.address())) {
      assertThat(keys(direct1.shard(b("a")).scan(ScanSpec.range(b("a"), b("m")))))
          .containsExactly("apple", "banana", "kiwi");
      assertThat(keys(direct2.scan(ScanSpec.builder().start(b("m")).build())))
          .containsExactly("melon", "pear", "zebra");
    }

    assertThat(keys(c.scan(ScanSpec.ALL)))
        .containsExactly("apple", "banana", "kiwi", "melon", "pear", "zebra");
    // No split of their shards is done: each node keeps whatever its data directory holds (keys
    // leave a disk only after a split moved them away).
    assertThat(s1.db().retained()).isEqualTo(KeyRange.ALL);
    assertThat(s2.db().retained()).isEqualTo(KeyRange.ALL);
    assertThat(keys(c.scan(ScanSpec.range(b("b"), b("p")))))
        .containsExactly("banana", "kiwi", "melon");
    assertThat(keys(c.scan(ScanSpec.builder().limit(4).build())))
        .containsExactly("apple", "banana", "kiwi", "melon");
    assertThat(keys(c.scan(ScanSpec.prefix(b("k"))))).containsExactly("kiwi");

    c.delete(b("melon"));
    assertThat(c.get(b("melon"))).isEmpty();
    c.batch(List.of(Op.put(b("cherry"), b("1")), Op.put(b("date"), b("2"))));
    assertThat(c.get(b("date")).map(ShardedClientTest::s)).contains("2");

    assertThatThrownBy(() -> c.batch(List.of(Op.put(b("fig"), b("1")), Op.put(b("plum"), b("2")))))
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining(
            "a batch spans one shard only, and these keys belong to shards s1, s2");
    assertThat(c.get(b("fig"))).isEmpty();

    assertThatThrownBy(() -> c.beginTransaction(false))
        .hasMessageContaining("cluster shop is sharded: call it on a shard's client");
    try (ClientTransaction tx = c.shard(b("fig")).beginTransaction(false)) {
      tx.put(b("fig"), b("3"));
      tx.commit();
    }
    assertThat(c.get(b("fig")).map(ShardedClientTest::s)).contains("3");
  }

  @Test
  void afterTheMapChangesKeysGoToTheirNewOwner() throws Exception {
    ShardMap v1 = ShardMap.splitAt(List.of(b("m")));
    new ShardMapStore(admin).create(v1);
    KevoServer s1 = node("a1", "s1");
    node("b1", "s2");
    // s3 is not in the map yet: its node serves nothing and takes no part in an election.
    KevoServer s3 = started("c1", "s3");
    KevoClient c = client();
    c.put(b("apple"), b("1"));

    // The map gives [g, m) to s3 (moving no data: a real split fences s1's part first; here the
    // part holds no key yet). Once the nodes have read it, "kiwi" goes to s3, whether the client's
    // watch delivered the new map first or s1's refusal, naming version 2, made it read it.
    new ShardMapStore(admin)
        .replace(
            v1,
            new ShardMap(
                2,
                List.of(
                    new ShardRange("s1", new byte[0], b("g")),
                    new ShardRange("s3", b("g"), b("m")),
                    new ShardRange("s2", b("m"), null))));
    try (KevoClient s1Direct = KevoClient.connect(s1.address())) {
      await()
          .atMost(WAIT)
          .until(
              () -> {
                try {
                  s1Direct.get(b("kiwi"));
                  return false;
                } catch (KevoClientException e) {
                  return ShardRouting.refusedMapVersion(e) == 2;
                }
              });
    }
    await().atMost(WAIT).until(() -> s3.role() == NodeRole.PRIMARY);
    c.put(b("kiwi"), b("2"));

    assertThat(c.get(b("kiwi")).map(ShardedClientTest::s)).contains("2");
    assertThat(c.shard(b("kiwi")).nodeInfo().getLastSequence()).isPositive();
    assertThat(keys(c.scan(ScanSpec.range(b("a"), b("z"))))).containsExactly("apple", "kiwi");
  }

  @Test
  void aRoutedWriteRidesOutItsShardElectingAPrimary() {
    new ShardMapStore(admin).create(ShardMap.splitAt(List.of(b("m"))));
    node("a1", "s1");
    KevoClient c = client();
    c.put(b("apple"), b("1"));
    // s2's only node waits 1.5 s without a primary before it bids: longer than the group client's
    // own attempts (100 ms, then 200 ms), shorter than the routing client rides out.
    KevoServer b1 =
        started(
            "b1",
            "s2",
            Options.builder().holdWalAtOpen(true).build(),
            null,
            Duration.ofMillis(1500));
    await().atMost(WAIT).until(() -> ClusterView.read(admin.group("s2")).member("b1").isPresent());
    assertThat(b1.role()).as("registered, not elected yet").isEqualTo(NodeRole.REPLICA);

    c.put(b("zebra"), b("2"));

    assertThat(b1.role()).isEqualTo(NodeRole.PRIMARY);
    assertThat(c.get(b("zebra")).map(ShardedNodesBase::s)).contains("2");
  }

  @Test
  void aNodesShardRefusalIsReadFromItsTrailers() {
    io.grpc.Metadata trailers = new io.grpc.Metadata();
    trailers.put(io.kevo.wire.WireMetadata.SHARD, "s3");
    trailers.put(io.kevo.wire.WireMetadata.SHARD_MAP_VERSION, "7");
    KevoClientException refusal =
        KevoClientException.of(
            Status.FAILED_PRECONDITION.withDescription("key ...").asRuntimeException(trailers));
    KevoClientException otherRefusal =
        KevoClientException.of(
            Status.FAILED_PRECONDITION.withDescription("replica").asRuntimeException());

    assertThat(ShardRouting.refusedMapVersion(refusal)).isEqualTo(7);
    assertThat(ShardRouting.refusedMapVersion(otherRefusal)).isEqualTo(-1);
    assertThat(
            ShardRouting.refusedMapVersion(
                KevoClientException.of(Status.UNAVAILABLE.asRuntimeException(trailers))))
        .as("only FAILED_PRECONDITION is a shard refusal")
        .isEqualTo(-1);
  }

  private static List<String> keys(KevoScan scan) {
    List<String> keys = new ArrayList<>();
    try (scan) {
      scan.forEachRemaining(kv -> keys.add(s(kv.key())));
    }
    return keys;
  }
}
