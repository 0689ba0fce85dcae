package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class EmbeddedZooKeeperTest {

  @Test
  void servesACoordinatorAndKeepsTheEpochAcrossARestart(@TempDir Path dir) {
    MemberInfo n1 = new MemberInfo("n1", "127.0.0.1:5001", "primary", 1, 1, 0, false);
    int port;
    try (EmbeddedZooKeeper zk =
        EmbeddedZooKeeper.start(new InetSocketAddress("127.0.0.1", 0), dir)) {
      port = zk.port();
      assertThat(port).isPositive();
      assertThat(zk.isRunning()).isTrue();
      assertThat(zk.connectString()).isEqualTo("127.0.0.1:" + port);
      try (Coordinator node = Coordinator.start(CoordinatorOptions.of(zk.connectString(), "dev"));
          Coordinator observer = ZkTestSupport.connect(zk.connectString(), "dev")) {
        assertThat(node.awaitLive(Duration.ofSeconds(10))).isTrue();
        try (MemberRegistry registry = MemberRegistry.register(node, n1)) {
          assertThat(registry.awaitRegistered(Duration.ofSeconds(10))).isTrue();
          assertThat(MemberRegistry.readMembers(observer)).containsExactly(n1);
        }
        assertThat(new EpochLedger(node).claimNext(0)).isEqualTo(1);
      }
      zk.close();
      assertThat(zk.isRunning()).isFalse();
      zk.close();
    }

    // The data directory holds the cluster's state: a restarted server still knows epoch 1.
    try (EmbeddedZooKeeper zk =
            EmbeddedZooKeeper.start(new InetSocketAddress("127.0.0.1", 0), dir);
        Coordinator node = ZkTestSupport.connect(zk.connectString(), "dev")) {
      assertThat(new EpochLedger(node).current()).isEqualTo(1);
      assertThat(MemberRegistry.readMembers(node)).isEqualTo(List.of());
    }
  }

  @Test
  void aTakenPortIsAClearError(@TempDir Path dir) {
    try (EmbeddedZooKeeper zk =
        EmbeddedZooKeeper.start(new InetSocketAddress("127.0.0.1", 0), dir.resolve("a"))) {
      assertThatThrownBy(
              () ->
                  EmbeddedZooKeeper.start(
                      new InetSocketAddress("127.0.0.1", zk.port()), dir.resolve("b")))
          .isInstanceOf(CoordinationException.class)
          .hasMessageContaining("cannot start ZooKeeper");
    }
  }
}
