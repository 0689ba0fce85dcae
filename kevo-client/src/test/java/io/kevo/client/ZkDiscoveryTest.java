package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ZkDiscovery} against a real ZooKeeper server (Curator's {@link TestingServer}) with
 * members registered by kevo-coordination's own {@link MemberRegistry}; the addresses are not
 * dialled here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private TestingServer zk;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
  }

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      c.close();
    }
    zk.close();
  }

  private <T extends AutoCloseable> T closing(T c) {
    toClose.add(c);
    return c;
  }

  private MemberRegistry register(String cluster, MemberInfo info) {
    Coordinator coordinator =
        closing(Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), cluster)));
    MemberRegistry registry = closing(MemberRegistry.register(coordinator, info, Duration.ZERO));
    assertThat(registry.awaitRegistered(WAIT)).isTrue();
    return registry;
  }

  private static MemberInfo member(String id, int port, String role, long epoch) {
    return new MemberInfo(id, "127.0.0.1:" + port, role, epoch, epoch, 0, false);
  }

  private ZkDiscovery discover(String cluster) {
    return closing(
        ZkDiscovery.start(ZkEndpoint.parse("zk://" + zk.getConnectString() + "/" + cluster), WAIT));
  }

  @Test
  void seedsAreTheMembersThePrimaryFirstAndFollowTheirChanges() {
    MemberRegistry m1 = register("c1", member("m1", 1001, MemberInfo.REPLICA, 1));
    MemberRegistry m2 = register("c1", member("m2", 1002, MemberInfo.PRIMARY, 1));
    register("other", member("x", 1999, MemberInfo.PRIMARY, 7)); // another cluster: not seen
    ZkDiscovery d = discover("c1");
    assertThat(d.seeds().all()).containsExactly("127.0.0.1:1002", "127.0.0.1:1001");
    assertThat(d.seeds().primaryHint()).isEqualTo("127.0.0.1:1002");
    assertThat(d.seeds().first()).isEqualTo("127.0.0.1:1002");
    assertThat(d.endpoint().cluster()).isEqualTo("c1");
    AtomicInteger changes = new AtomicInteger();
    d.onChange(changes::incrementAndGet);

    // A member joins.
    MemberRegistry m3 = register("c1", member("m3", 1003, MemberInfo.REPLICA, 1));
    await().atMost(WAIT).until(() -> d.seeds().all().contains("127.0.0.1:1003"));
    assertThat(changes.get()).isEqualTo(1);

    // Only a member's figures move (as with every write): the seeds stay, nobody is told.
    m3.update(m3.latest().withProgress(MemberInfo.REPLICA, 1, 1, 42));
    await().atMost(WAIT).until(() -> d.members().stream().anyMatch(m -> m.durableSequence() == 42));
    assertThat(changes.get()).isEqualTo(1);

    // A failover: m1 reports the primary role in a newer epoch while m2's entry lingers.
    m1.update(m1.latest().withProgress(MemberInfo.PRIMARY, 2, 2, 0));
    await().atMost(WAIT).until(() -> "127.0.0.1:1001".equals(d.seeds().primaryHint()));
    assertThat(d.seeds().all())
        .containsExactly("127.0.0.1:1001", "127.0.0.1:1002", "127.0.0.1:1003");
    assertThat(changes.get()).isEqualTo(2);

    // The old primary leaves.
    m2.close();
    await().atMost(WAIT).until(() -> d.seeds().all().size() == 2);
    assertThat(d.seeds().all()).containsExactly("127.0.0.1:1001", "127.0.0.1:1003");
    assertThat(changes.get()).isEqualTo(3);
  }

  @Test
  void theLastSeedsAreKeptWhenEveryMemberLeaves() {
    MemberRegistry only = register("c1", member("m1", 1001, MemberInfo.PRIMARY, 1));
    ZkDiscovery d = discover("c1");
    only.close();
    await().atMost(WAIT).until(() -> d.members().isEmpty());
    assertThat(d.seeds().all()).containsExactly("127.0.0.1:1001");
    assertThat(d.seeds().primaryHint()).isEqualTo("127.0.0.1:1001");
  }

  @Test
  void withoutAPrimaryTheMembersAreOrderedByIdWithoutAHint() {
    register("c1", member("b", 1002, MemberInfo.REPLICA, 1));
    register("c1", member("a", 1001, MemberInfo.REPLICA, 1));
    ZkDiscovery d = discover("c1");
    assertThat(d.seeds().all()).containsExactly("127.0.0.1:1001", "127.0.0.1:1002");
    assertThat(d.seeds().primaryHint()).isNull();
  }

  @Test
  void unreadableMembersAndMalformedAddressesAreSkipped() throws Exception {
    register("c1", member("good", 1001, MemberInfo.PRIMARY, 1));
    register("c1", new MemberInfo("odd", "no-port", MemberInfo.REPLICA, 1, 1, 0, false));
    try (CuratorFramework raw =
        CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
      raw.start();
      raw.create()
          .forPath("/kevo/clusters/c1/members/junk", "{not json".getBytes(StandardCharsets.UTF_8));
      ZkDiscovery d = discover("c1");
      assertThat(d.seeds().all()).containsExactly("127.0.0.1:1001");
      assertThat(d.members()).extracting(MemberInfo::id).containsExactly("good");
    }
  }

  @Test
  void aClusterWithoutMembersIsAClearError() {
    register("c1", member("m1", 1001, MemberInfo.PRIMARY, 1));
    assertThatThrownBy(() -> discover("empty"))
        .isInstanceOfSatisfying(
            KevoClientException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("cluster empty has no members at zk://" + zk.getConnectString())
        .hasMessageContaining("no Kevo node is registered under /kevo/clusters/empty/members")
        .hasMessageContaining("--cluster empty");
  }

  @Test
  void anUnreachableCoordinatorFailsWithinTheTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    String url = "zk://127.0.0.1:" + port + "/c1";
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                KevoClient.connect(
                    ClientOptions.builder()
                        .endpoint(url)
                        .coordinatorTimeout(Duration.ofSeconds(1))
                        .build()))
        .isInstanceOfSatisfying(
            KevoClientException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("cannot reach the coordinator at 127.0.0.1:" + port)
        .hasMessageContaining("within 1000 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(Duration.ofSeconds(6)); // 1 s, and the ZooKeeper client's close
  }

  @Test
  void closeIsIdempotent() {
    register("c1", member("m1", 1001, MemberInfo.PRIMARY, 1));
    ZkDiscovery d = discover("c1");
    d.close();
    d.close();
  }
}
