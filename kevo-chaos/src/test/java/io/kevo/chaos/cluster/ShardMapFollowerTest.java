package io.kevo.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardMapFollowerTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesTheFirstMapAndHearsEachNewerOneOnce() throws Exception {
    ShardMap first = ShardMap.splitAt(List.of(b("k010")));
    List<ShardMap> heard = new CopyOnWriteArrayList<>();
    try (ZooKeeperHost zk = ZooKeeperHost.start(dir.resolve("zk"));
        ShardMapFollower f =
            ShardMapFollower.create(
                "127.0.0.1:" + zk.port(), "chaos", first, Duration.ofSeconds(30), heard::add)) {
      assertThat(f.map()).isEqualTo(first);
      ShardMap second = first.split("s1", b("k005"), "s3");
      new ShardMapStore(f.coordinator()).replace(first, second);

      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (f.map().version() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(f.refresh()).isEqualTo(second);
      assertThat(heard).extracting(ShardMap::version).containsExactly(1L, 2L);
      assertThat(ShardMapFollower.layout(second).text())
          .isEqualTo("version 2: s1 [-, \"k005\") s3 [\"k005\", \"k010\") s2 [\"k010\", -)");

      assertThatThrownBy(
              () ->
                  ShardMapFollower.create(
                      "127.0.0.1:" + zk.port(), "chaos", first, Duration.ofSeconds(30), m -> {}))
          .as("the cluster has a map already")
          .isInstanceOf(CoordinationException.class);

      zk.stop();
      assertThat(f.refresh()).as("the last map seen, ZooKeeper gone").isEqualTo(second);
    }
  }
}
