package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.replication.PrimaryOptions;
import io.kevo.server.FailoverOptions;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sharded-cluster tests share: a real ZooKeeper (Curator's TestingServer, ticking every
 * 200 ms), a coordinator session on cluster {@code shop}'s root, nodes in this JVM started for a
 * shard, and routing clients; everything is closed after each test, last opened first.
 */
abstract class ShardedNodesBase {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  TestingServer zk;
  Coordinator admin;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
    admin = Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), "shop"));
    toClose.add(admin);
    assertThat(admin.awaitLive(WAIT)).isTrue();
  }

  @AfterEach
  void stopAll() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      c.close();
    }
    zk.close();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A node of {@code shard}, once it is its shard's primary. */
  KevoServer node(String id, String shard) {
    KevoServer s = started(id, shard);
    await().atMost(WAIT).until(() -> s.role() == NodeRole.PRIMARY);
    return s;
  }

  /** A node of {@code shard}, not yet elected (a shard not in the map elects no primary). */
  KevoServer started(String id, String shard) {
    return started(id, shard, Options.builder().holdWalAtOpen(true).build(), null);
  }

  /**
   * A node of {@code shard} on a database of {@code dbOptions}, with {@code primary} options when
   * it leads (null: the defaults); not yet elected.
   */
  KevoServer started(String id, String shard, Options dbOptions, PrimaryOptions primary) {
    return started(id, shard, dbOptions, primary, Duration.ofMillis(300));
  }

  /**
   * As {@link #started(String, String, Options, PrimaryOptions)}, the node waiting {@code grace}
   * without a primary before it bids for the leadership.
   */
  KevoServer started(
      String id, String shard, Options dbOptions, PrimaryOptions primary, Duration grace) {
    KevoDB db = KevoDB.open(dir.resolve(id), dbOptions);
    FailoverOptions failover =
        FailoverOptions.of(zk.getConnectString(), "shop")
            .withCoordinator(
                CoordinatorOptions.of(zk.getConnectString(), "shop")
                    .withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(2))
                    .forShard(shard))
            // The default session (4 s, a 2 s lease): a loaded test machine stalls a JVM for
            // longer than a second at times, and no test here waits for a session to expire.
            .withNodeId(id)
            .withIntervals(Duration.ZERO, grace);
    KevoServer s =
        KevoServer.start(
            db,
            (primary == null
                    ? ServerOptions.builder()
                    : ServerOptions.builder().primaryOptions(primary))
                .role(NodeRole.REPLICA)
                .failover(failover)
                .listen("127.0.0.1", 0)
                .build());
    toClose.add(s);
    return s;
  }

  /** A routing client of cluster {@code shop}. */
  KevoClient client() {
    KevoClient c = KevoClient.connect("zk://" + zk.getConnectString() + "/shop");
    toClose.add(c);
    return c;
  }
}
