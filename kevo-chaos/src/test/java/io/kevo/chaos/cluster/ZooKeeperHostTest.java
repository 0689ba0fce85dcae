package io.kevo.chaos.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.testkit.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperHostTest {
  @TempDir Path dir;

  @Test
  void restartsOnTheSamePortWithItsDataAndEachNodeHasItsOwnLink() throws Exception {
    try (ZooKeeperHost zk = ZooKeeperHost.start(dir.resolve("zk"))) {
      int port = zk.port();
      TcpProxy n1 = zk.proxyFor("n1");
      assertThat(zk.proxyFor("n1")).isSameAs(n1);
      assertThat(zk.proxyFor("n2").port()).isNotEqualTo(n1.port());
      try (ZooKeeper client = connect(n1.address())) {
        client.create(
            "/chaos", "kept".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }

      zk.stop();
      assertThat(zk.running()).isFalse();
      zk.startAgain();
      assertThat(zk.running()).isTrue();
      assertThat(zk.port()).isEqualTo(port);
      assertThat(Files.isDirectory(dir.resolve("zk"))).isTrue();

      n1.mode(TcpProxy.Mode.REFUSE);
      zk.heal();
      try (ZooKeeper client = connect(n1.address())) {
        assertThat(new String(client.getData("/chaos", false, null), UTF_8)).isEqualTo("kept");
      }
    }
  }

  private static ZooKeeper connect(String address) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper client =
        new ZooKeeper(
            address,
            4_000,
            e -> {
              if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    assertThat(connected.await(20, TimeUnit.SECONDS)).as("connected to " + address).isTrue();
    return client;
  }
}
