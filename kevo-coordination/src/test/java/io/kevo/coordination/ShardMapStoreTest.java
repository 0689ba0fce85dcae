package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShardMapStoreTest {
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

  private static ShardMap split(ShardMap from, String shard, String at, String newId) {
    List<ShardRange> next = new ArrayList<>();
    for (ShardRange r : from.shards()) {
      if (r.id().equals(shard)) {
        byte[] point = at.getBytes(StandardCharsets.UTF_8);
        next.add(new ShardRange(r.id(), r.start(), point));
        next.add(new ShardRange(newId, point, r.end()));
      } else {
        next.add(r);
      }
    }
    return new ShardMap(from.version() + 1, next);
  }

  @Test
  void aClusterWithoutAMapIsUnshardedAndInitWritesItOnce() {
    ShardMapStore store = new ShardMapStore(coordinator);
    assertThat(store.path()).isEqualTo("/kevo/clusters/shop/shard-map");
    assertThat(store.read()).isEmpty();

    store.create(ShardMap.even(3));

    assertThat(store.read()).contains(ShardMap.even(3));
    assertThatThrownBy(() -> store.create(ShardMap.even(2)))
        .isInstanceOf(CoordinationException.class)
        .hasMessage(
            "cluster shop already has a shard map (version 1, 3 shards) at"
                + " /kevo/clusters/shop/shard-map");
    assertThat(store.read()).contains(ShardMap.even(3));
  }

  @Test
  void aMapTooLargeForAZnodeIsRefusedAndNothingIsWritten() {
    ShardMapStore store = new ShardMapStore(coordinator);
    List<byte[]> points = new ArrayList<>();
    for (int i = 1; i < 4000; i++) {
      byte[] p = new byte[200];
      p[0] = (byte) (i >>> 8);
      p[1] = (byte) i;
      points.add(p);
    }

    assertThatThrownBy(() -> store.create(ShardMap.splitAt(points)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a shard map of 4000 shards takes ")
        .hasMessageEndingWith(
            " bytes, more than the 1000000 a ZooKeeper znode holds: use fewer shards or shorter"
                + " split points");
    assertThat(store.read()).isEmpty();
    store.create(ShardMap.even(4000));
    assertThat(store.read().orElseThrow().shards()).hasSize(4000);
  }

  @Test
  void aChangeLandsOnlyOnTheMapItWasMadeFrom() {
    ShardMapStore store = new ShardMapStore(coordinator);
    ShardMap v1 = ShardMap.splitAt(List.of("m".getBytes(StandardCharsets.UTF_8)));
    store.create(v1);
    ShardMap v2 = split(v1, "s2", "t", "s3");

    store.replace(v1, v2);

    assertThat(store.read()).contains(v2);
    // A second change made from the old map loses, and learns the map it must start from.
    ShardMap stale = split(v1, "s1", "f", "s4");
    assertThatThrownBy(() -> store.replace(v1, stale))
        .isInstanceOf(ShardMapConflictException.class)
        .hasMessage(
            "the shard map changed meanwhile: the change was made from version 1, the cluster"
                + " holds version 2")
        .extracting(e -> ((ShardMapConflictException) e).current())
        .isEqualTo(v2);
    assertThat(store.read()).contains(v2);
  }

  @Test
  void ofChangesRacingFromOneMapExactlyOneLands() throws Exception {
    new ShardMapStore(coordinator).create(ShardMap.even(1));
    ShardMap v1 = ShardMap.even(1);
    int racers = 6;
    List<Coordinator> sessions = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Coordinator c = ZkTestSupport.connect(server, "shop");
        sessions.add(c);
        ShardMap mine = split(v1, "s1", "k" + i, "n" + i);
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    new ShardMapStore(c).replace(v1, mine);
                    return true;
                  } catch (ShardMapConflictException e) {
                    return false;
                  }
                }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> f : outcomes) {
        won += f.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
      ShardMap now = new ShardMapStore(coordinator).read().orElseThrow();
      assertThat(now.version()).isEqualTo(2);
      assertThat(now.shards()).hasSize(2);
    } finally {
      pool.shutdownNow();
      sessions.forEach(Coordinator::close);
    }
  }

  @Test
  void aShardGroupKeepsItsRecordsUnderItsOwnRoot() {
    Coordinator s1 =
        Coordinator.start(
            coordinator
                .options()
                .forShard("s1")
                .withTimeouts(ZkTestSupport.SHORT_SESSION, ZkTestSupport.SHORT_CONNECTION));
    try {
      assertThat(s1.awaitLive(Duration.ofSeconds(10))).isTrue();
      assertThat(s1.path("members/n1")).isEqualTo("/kevo/clusters/shop/shards/s1/members/n1");
      assertThat(new ShardMapStore(s1).path()).isEqualTo("/kevo/clusters/shop/shard-map");

      long epoch = new EpochLedger(s1).claimNext(0);

      assertThat(epoch).isEqualTo(1);
      assertThat(new EpochLedger(coordinator).current())
          .as("the cluster root's own epoch is another group's")
          .isZero();
    } finally {
      s1.close();
    }
  }

  @Test
  void aWatchSaysWhenTheClusterHasNoMap() throws Exception {
    CountDownLatch absent = new CountDownLatch(1);
    List<ShardMap> heard = new CopyOnWriteArrayList<>();
    ShardMapWatch.Listener listener =
        new ShardMapWatch.Listener() {
          @Override
          public void changed(ShardMap map) {
            heard.add(map);
          }

          @Override
          public void absent() {
            absent.countDown();
          }
        };
    try (ShardMapWatch watch = ShardMapWatch.start(coordinator, listener)) {
      assertThat(absent.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(watch.current()).isNull();
      new ShardMapStore(coordinator).create(ShardMap.even(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
      assertThat(watch.current()).isEqualTo(ShardMap.even(2));
    }
  }

  @Test
  void aWatchHearsEachNewerMapAndKeepsTheLastGoodOne() throws Exception {
    ShardMapStore store = new ShardMapStore(coordinator);
    List<ShardMap> heard = new CopyOnWriteArrayList<>();
    try (ShardMapWatch watch = ShardMapWatch.start(coordinator, heard::add)) {
      ShardMap v1 = ShardMap.even(2);
      store.create(v1);
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
      ShardMap v2 = split(v1, "s2", "\u00c0", "s3");
      store.replace(v1, v2);
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);

      assertThat(heard).containsExactly(v1, v2);
      assertThat(watch.current()).isEqualTo(v2);
    }
  }
}
