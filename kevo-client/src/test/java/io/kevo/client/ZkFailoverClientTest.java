package io.kevo.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.proto.replication.PromoteRequest;
import io.kevo.proto.replication.ReplicationAdminGrpc;
import io.kevo.proto.replication.RepointRequest;
import io.kevo.server.KevoServer;
import io.kevo.server.NodeRole;
import io.kevo.server.ServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code zk://} client follows a failover with nothing done to it: a real primary and two real
 * replicas in this JVM, registered as members of cluster {@code c1} in a real ZooKeeper server
 * (Curator's {@link TestingServer}) with kevo-coordination's {@link MemberRegistry}; the primary
 * role is moved for real (ReplicationAdmin's promote and repoint) and the members' entries are
 * updated as the nodes would update them.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ZkFailoverClientTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private TestingServer zk;
  private KevoServer primary;
  private KevoServer r1;
  private KevoServer r2;
  private MemberRegistry primaryEntry;
  private MemberRegistry r1Entry;
  private MemberRegistry r2Entry;

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
    primary = node("p", ServerOptions.builder().role(NodeRole.PRIMARY));
    r1 = node("r1", replicaOf(primary));
    r2 = node("r2", replicaOf(primary));
    await().atMost(WAIT).until(() -> primary.primary().connectedReplicas() == 2);
    primaryEntry = register("p", primary, MemberInfo.PRIMARY);
    r1Entry = register("r1", r1, MemberInfo.REPLICA);
    r2Entry = register("r2", r2, MemberInfo.REPLICA);
  }

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      c.close();
    }
    zk.close();
  }

  private static ServerOptions.Builder replicaOf(KevoServer p) {
    return ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(p.address());
  }

  private KevoServer node(String name, ServerOptions.Builder o) {
    KevoDB db = KevoDB.open(dir.resolve(name), Options.builder().holdWalAtOpen(true).build());
    KevoServer s = KevoServer.start(db, o.listen("127.0.0.1", 0).build());
    toClose.add(s);
    return s;
  }

  /** Registers {@code s} as member {@code id} of c1 in epoch 1, on a session of its own. */
  private MemberRegistry register(String id, KevoServer s, String role) {
    Coordinator c = Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), "c1"));
    toClose.add(c);
    MemberRegistry m =
        MemberRegistry.register(c, new MemberInfo(id, s.address(), role, 1, 1, 0, false));
    toClose.add(m);
    assertThat(m.awaitRegistered(WAIT)).isTrue();
    return m;
  }

  private KevoClient client() {
    KevoClient c =
        KevoClient.connect(
            ClientOptions.builder()
                .endpoint("zk://" + zk.getConnectString() + "/c1")
                // No timer: the topology is re-read only when something asks for it.
                .topologyRefreshInterval(Duration.ZERO)
                .build());
    toClose.add(c);
    return c;
  }

  private ReplicationAdminGrpc.ReplicationAdminBlockingStub admin(KevoServer s) {
    ManagedChannel ch = NettyChannelBuilder.forTarget(s.address()).usePlaintext().build();
    toClose.add(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ReplicationAdminGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static String value(KevoDB db, String key) {
    return db.get(b(key)).map(v -> new String(v, UTF_8)).orElse(null);
  }

  /**
   * Promotes r1 (a new epoch) and repoints r2 to it, as an operator or the coordinator's failover
   * would, and publishes both nodes' new roles in their member entries.
   */
  private void failOverToR1() {
    long epoch = admin(r1).promote(PromoteRequest.getDefaultInstance()).getEpoch().getEpoch();
    assertThat(epoch).isEqualTo(2);
    admin(r2).repoint(RepointRequest.newBuilder().setPrimaryAddress(r1.address()).build());
    long seq = r1.db().latestSequence();
    r1Entry.update(r1Entry.latest().withProgress(MemberInfo.PRIMARY, epoch, epoch, seq));
    r2Entry.update(r2Entry.latest().withProgress(MemberInfo.REPLICA, epoch, epoch, seq));
  }

  private void awaitReplicasCaughtUp() {
    long last = primary.db().latestSequence();
    await()
        .atMost(WAIT)
        .until(() -> r1.db().latestSequence() == last && r2.db().latestSequence() == last);
  }

  @Test
  void discoversTheMembersAndWritesGoToThePrimaryMember() {
    KevoClient c = client();
    assertThat(c.options().coordinator()).isEqualTo("zk://" + zk.getConnectString() + "/c1");
    assertThat(c.endpoint()).isEqualTo(primary.address()); // the primary member comes first
    c.put(b("a"), b("1"));
    assertThat(c.get(b("a"))).hasValue(b("1"));
    assertThat(value(primary.db(), "a")).isEqualTo("1");
    Topology t = c.topology();
    assertThat(t.primary()).isEqualTo(primary.address());
    assertThat(t.replicas())
        .extracting(Topology.Replica::address)
        .containsExactlyInAnyOrder(r1.address(), r2.address());
    assertThat(c.nodeInfo().getNodeRole())
        .isEqualTo(io.kevo.proto.GetNodeInfoResponse.NodeRole.PRIMARY);
  }

  @Test
  void writesFollowAPromotionTheNodesAloneWouldNotRevealToTheClient() {
    KevoClient c = client();
    c.put(b("before"), b("p"));
    assertThat(value(primary.db(), "before")).isEqualTo("p");
    awaitReplicasCaughtUp();

    // The old primary stays up and, fenced by nobody yet, would still take writes: a client that
    // only asked the nodes it knows would keep writing there. Its member entry lingers as well,
    // reporting the primary role in the older epoch.
    failOverToR1();

    // The application just keeps writing; ZooKeeper's news reaches the client meanwhile.
    AtomicInteger i = new AtomicInteger();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              String key = "k" + i.incrementAndGet();
              c.put(b(key), b("v"));
              return value(r1.db(), key) != null;
            });
    c.put(b("after"), b("r1"));
    assertThat(value(r1.db(), "after")).isEqualTo("r1");
    assertThat(value(primary.db(), "after")).isNull();
    assertThat(c.get(b("after"))).hasValue(b("r1"));
    assertThat(c.get(b("before"))).hasValue(b("p"));
    assertThat(c.topology().primary()).isEqualTo(r1.address());
    assertThat(c.endpoint()).isEqualTo(r1.address());
    await().atMost(WAIT).until(() -> value(r2.db(), "after") != null);
  }

  @Test
  void aNewlyElectedPrimaryIsAskedEvenIfACallToItFailedJustBefore() {
    KevoClient c = client();
    c.put(b("before"), b("p"));
    awaitReplicasCaughtUp();
    // As if calls to both replicas had just failed with UNAVAILABLE (a replica refuses writes so
    // while its cluster has no primary): both are passed over for the node backoff (5 s).
    c.tracker().markDown(r1.address(), false);
    c.tracker().markDown(r2.address(), false);
    primary.close();
    failOverToR1();
    await().atMost(WAIT).until(() -> r1.address().equals(c.endpoint())); // ZooKeeper's news

    // The news clears r1's mark; r2's stays, and the dead primary answers nobody.
    assertThat(c.tracker().isDown(r1.address())).isFalse();
    assertThat(c.tracker().isDown(r2.address())).isTrue();
    c.put(b("after"), b("r1"));
    assertThat(value(r1.db(), "after")).isEqualTo("r1");
    assertThat(c.topology().primary()).isEqualTo(r1.address());
  }

  @Test
  void theClientKeepsItsNodesWhileZooKeeperIsDownAndFollowsAgainOnceItIsBack() throws Exception {
    KevoClient c = client();
    c.put(b("before"), b("p"));
    zk.stop();
    c.put(b("during"), b("p")); // ZooKeeper only says whom to ask: the nodes still answer
    assertThat(value(primary.db(), "during")).isEqualTo("p");
    assertThat(c.seeds()).contains(primary.address(), r1.address(), r2.address());

    zk.restart();
    awaitReplicasCaughtUp();
    primary.close();
    failOverToR1();
    await().atMost(WAIT).until(() -> r1.address().equals(c.endpoint()));
    c.put(b("after"), b("r1"));
    assertThat(value(r1.db(), "after")).isEqualTo("r1");
  }

  @Test
  void writesFollowAFailoverAfterThePrimaryDies() {
    KevoClient c = client();
    c.put(b("before"), b("p"));
    awaitReplicasCaughtUp();

    // The primary dies; its session (and member entry) would linger until it expires.
    String dead = primary.address();
    primary.close();
    failOverToR1();

    // The very next write succeeds, on the new primary, with nothing done to the client.
    c.put(b("after"), b("r1"));
    assertThat(value(r1.db(), "after")).isEqualTo("r1");
    assertThat(c.get(b("before"))).hasValue(b("p"));
    assertThat(c.get(b("after"))).hasValue(b("r1"));
    assertThat(c.topology().primary()).isEqualTo(r1.address());
    await().atMost(WAIT).until(() -> r1.address().equals(c.endpoint()));

    // When the dead primary's entry finally goes, the seeds shrink and writes go on.
    primaryEntry.close();
    await().atMost(WAIT).until(() -> !c.seeds().contains(dead));
    assertThat(c.seeds()).containsExactly(r1.address(), r2.address());
    c.put(b("later"), b("r1"));
    assertThat(value(r1.db(), "later")).isEqualTo("r1");
    await().atMost(WAIT).until(() -> value(r2.db(), "later") != null);
  }
}
