package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.ReadPreference;
import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.PutRequest;
import io.kevo.testkit.TcpProxy;
import io.kevo.wire.ReplicationStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Automatic failover across real processes and a real ZooKeeper (Curator's TestingServer, in this
 * JVM, ticking every 500 ms as {@code kevo coordinator} does): a primary killed with SIGKILL,
 * frozen with SIGSTOP past its session, or cut off from ZooKeeper alone is replaced by the most
 * up-to-date replica, no write acknowledged at {@code replica:1} is lost, no two nodes acknowledge
 * writes in one epoch, and the old primary rejoins as a replica.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AutomaticFailoverIT extends ClusterFixture {
  private static final Duration ELECTION = Duration.ofSeconds(30);
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  private static final Metadata.Key<String> ACK =
      Metadata.Key.of("kevo-ack", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> EPOCH =
      Metadata.Key.of("kevo-epoch", Metadata.ASCII_STRING_MARSHALLER);

  private TestingServer zk;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
  }

  @AfterEach
  void stopZooKeeper() throws Exception {
    cluster.close();
    zk.close();
  }

  private ReplicationCluster.Node member(String name, String coordinator, String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(extra));
    if (!args.contains("--replication-ack")) {
      args.addAll(List.of("--replication-ack", "replica:1"));
    }
    args.addAll(List.of("--failover-min-interval", "1s"));
    return cluster.startMember(name, coordinator, "c1", args.toArray(String[]::new));
  }

  /** The one primary among {@code live}, once every other one follows it. */
  private static ReplicationCluster.Node awaitPrimary(List<ReplicationCluster.Node> live) {
    AtomicReference<ReplicationCluster.Node> found = new AtomicReference<>();
    await()
        .atMost(ELECTION)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              ReplicationCluster.Node primary = null;
              for (ReplicationCluster.Node n : live) {
                GetNodeInfoResponse info = infoOrNull(n);
                if (info == null) {
                  return false;
                }
                if (info.getNodeRole() == GetNodeInfoResponse.NodeRole.PRIMARY) {
                  if (primary != null) {
                    return false;
                  }
                  primary = n;
                }
              }
              if (primary == null) {
                return false;
              }
              // As the primary advertises itself (its address, or a proxy's).
              String advertised = infoOrNull(primary).getPrimaryAddress();
              for (ReplicationCluster.Node n : live) {
                if (n != primary && !advertised.equals(infoOrNull(n).getPrimaryAddress())) {
                  return false;
                }
              }
              found.set(primary);
              return true;
            });
    return found.get();
  }

  private static GetNodeInfoResponse infoOrNull(ReplicationCluster.Node n) {
    try {
      return n.info();
    } catch (StatusRuntimeException e) {
      return null;
    }
  }

  private static long epoch(ReplicationCluster.Node n) {
    return ReplicationStatus.of(n.info()).epoch().orElseThrow().number();
  }

  private static KevoClient client(List<ReplicationCluster.Node> nodes) {
    return KevoClient.connect(
        ClientOptions.builder()
            .endpoints(nodes.stream().map(ReplicationCluster.Node::address).toList())
            .readPreference(ReadPreference.PRIMARY)
            .deadline(Duration.ofSeconds(5))
            .build());
  }

  private static void assertHoldsEvery(
      ReplicationCluster.Node n, BackgroundWriter writer, Set<String> keys) {
    Map<String, ByteString> pairs = n.scanPrefix("w");
    List<String> missing = new ArrayList<>();
    for (String k : keys) {
      ByteString v = pairs.get(k);
      if (v == null || !v.equals(ByteString.copyFrom(writer.valueOf(k)))) {
        missing.add(k);
      }
    }
    assertThat(missing).as("acknowledged writes missing or wrong on %s", n.name).isEmpty();
  }

  @Test
  void killNineOfThePrimaryElectsTheMostUpToDateReplicaAndLosesNoAcknowledgedWrite()
      throws Exception {
    String zkAddress = zk.getConnectString();
    List<ReplicationCluster.Node> nodes =
        new ArrayList<>(
            List.of(member("n1", zkAddress), member("n2", zkAddress), member("n3", zkAddress)));
    ReplicationCluster.Node first = awaitPrimary(nodes);
    long firstEpoch = epoch(first);

    try (KevoClient client = client(nodes);
        BackgroundWriter writer = new BackgroundWriter(client, "w", 64, false).start(8)) {
      await().atMost(ELECTION).until(() -> writer.acknowledgedCount() >= 500);
      long ackedBeforeKill = writer.acknowledgedCount();
      long killedAt = System.nanoTime();
      first.kill();
      nodes.remove(first);

      ReplicationCluster.Node second = awaitPrimary(nodes);
      long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      assertThat(epoch(second)).isGreaterThan(firstEpoch);
      await().atMost(ELECTION).until(() -> writer.acknowledgedCount() >= ackedBeforeKill + 500);
      writer.close();
      Set<String> acked = writer.acknowledgedKeys();
      assertHoldsEvery(second, writer, acked);

      first.restart();
      nodes.add(first);
      assertThat(awaitPrimary(nodes)).isSameAs(second);
      cluster.awaitConverged(
          CONVERGENCE,
          second,
          nodes.stream().filter(n -> n != second).toArray(ReplicationCluster.Node[]::new));
      for (ReplicationCluster.Node n : nodes) {
        assertHoldsEvery(n, writer, acked);
        assertThat(epoch(n)).as("epoch of %s", n.name).isEqualTo(epoch(second));
      }
      System.out.printf(
          "kill -9: new primary %s elected %d ms after the kill; %d writes acknowledged, %d"
              + " failed%n",
          second.name, electedMs, acked.size(), writer.failures());
    }
  }

  @Test
  void aPrimaryFrozenPastItsSessionRefusesWritesWhenItWakesAndRejoins() throws Exception {
    String zkAddress = zk.getConnectString();
    List<ReplicationCluster.Node> nodes =
        new ArrayList<>(
            List.of(member("n1", zkAddress), member("n2", zkAddress), member("n3", zkAddress)));
    ReplicationCluster.Node first = awaitPrimary(nodes);
    long firstEpoch = epoch(first);
    put(first, "replica:1", "before", "1");

    first.pause();
    List<ReplicationCluster.Node> others = new ArrayList<>(nodes);
    others.remove(first);
    ReplicationCluster.Node second;
    try {
      second = awaitPrimary(others);
    } finally {
      first.resume();
    }
    // Awake: its first write is refused (its lease lapsed long ago), however quickly it is sent.
    StatusRuntimeException refused = null;
    try {
      put(first, "async", "after-wake", "x");
    } catch (StatusRuntimeException e) {
      refused = e;
    }
    assertThat(refused).as("a write to the woken primary").isNotNull();
    assertThat(refused.getStatus().getCode())
        .isIn(Status.Code.UNAVAILABLE, Status.Code.FAILED_PRECONDITION);
    long newEpoch = epoch(second);
    assertThat(newEpoch).isGreaterThan(firstEpoch);
    assertThat(put(second, "replica:1", "on-second", "2").get(EPOCH))
        .isEqualTo(Long.toString(newEpoch));

    assertThat(awaitPrimary(nodes)).isSameAs(second);
    cluster.awaitConverged(
        CONVERGENCE,
        second,
        nodes.stream().filter(n -> n != second).toArray(ReplicationCluster.Node[]::new));
    assertThat(first.get(b("after-wake"))).isEmpty();
    assertThat(first.get(b("on-second"))).isPresent();
    assertThat(first.get(b("before"))).isPresent();
  }

  @Test
  void aPrimaryCutOffFromZooKeeperAloneStopsAcknowledgingAndNoEpochHasTwoWriters()
      throws Exception {
    String zkAddress = zk.getConnectString();
    TcpProxy toZk = new TcpProxy("127.0.0.1", zk.getPort());
    try {
      ReplicationCluster.Node n1 = member("n1", toZk.address());
      List<ReplicationCluster.Node> nodes = new ArrayList<>(List.of(n1));
      ReplicationCluster.Node first = awaitPrimary(nodes);
      nodes.add(member("n2", zkAddress));
      nodes.add(member("n3", zkAddress));
      assertThat(awaitPrimary(nodes)).isSameAs(n1);

      // Writers straight to each node, remembering which node acknowledged in which epoch.
      Map<String, Set<String>> writersByEpoch = new ConcurrentHashMap<>();
      List<Thread> threads = new ArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      for (ReplicationCluster.Node n : nodes) {
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; !stop.get(); i++) {
                    try {
                      Metadata trailers = put(n, "replica:1", "d-" + n.name + "-" + i, "v");
                      writersByEpoch
                          .computeIfAbsent(trailers.get(EPOCH), e -> ConcurrentHashMap.newKeySet())
                          .add(n.name);
                    } catch (StatusRuntimeException e) {
                      sleepQuietly(20);
                    }
                  }
                },
                "direct-" + n.name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      await().atMost(ELECTION).until(() -> writersByEpoch.containsKey(Long.toString(epoch(first))));

      long cutAt = System.nanoTime();
      toZk.cutOff();
      // It stops acknowledging within the session timeout (4 s), and a write to it is refused.
      await()
          .atMost(Duration.ofSeconds(6))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> refuses(first));
      long refusingAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
      List<ReplicationCluster.Node> others = nodes.subList(1, 3);
      ReplicationCluster.Node second = awaitPrimary(new ArrayList<>(others));
      await()
          .atMost(ELECTION)
          .until(() -> writersByEpoch.containsKey(Long.toString(epoch(second))));

      toZk.mode(TcpProxy.Mode.PASS);
      assertThat(awaitPrimary(nodes)).isSameAs(second);
      stop.set(true);
      for (Thread t : threads) {
        t.join(10_000);
      }
      writersByEpoch.forEach(
          (epoch, writers) ->
              assertThat(writers)
                  .as("nodes that acknowledged writes in epoch %s", epoch)
                  .hasSize(1));
      System.out.printf(
          "cut off from ZooKeeper: refusing writes %d ms after the cut; writers by epoch %s%n",
          refusingAfterMs, writersByEpoch);
    } finally {
      toZk.close();
    }
  }

  @Test
  void noReplicaWithinTheLagBoundMeansNoPrimaryUntilTheOldOneReturns() throws Exception {
    String zkAddress = zk.getConnectString();
    // n1 advertises a proxy, so its replicas (and only they) reach it through a link we can cut.
    ReplicationCluster.Node n1 = member("n1", zkAddress, "--replication-ack", "async");
    List<ReplicationCluster.Node> nodes = new ArrayList<>(List.of(n1));
    assertThat(awaitPrimary(nodes)).isSameAs(n1);
    n1.kill();
    TcpProxy toN1 = new TcpProxy("127.0.0.1", n1.port());
    try {
      n1.restartWithArgs(
          "--coordinator",
          zkAddress,
          "--cluster",
          "c1",
          "--node-id",
          "n1",
          "--sync",
          "none",
          "--replication-ack",
          "async",
          "--failover-max-lag",
          "0",
          "--failover-min-interval",
          "1s",
          "--advertise",
          toN1.address());
      nodes.add(member("n2", zkAddress, "--replication-ack", "async", "--failover-max-lag", "0"));
      assertThat(awaitPrimary(nodes)).isSameAs(n1);
      put(n1, "async", "shared", "1");
      await().atMost(CONVERGENCE).until(() -> nodes.get(1).get(b("shared")).isPresent());

      toN1.cutOff();
      for (int i = 0; i < 50; i++) {
        put(n1, "async", "only-n1-" + i, "v");
      }
      long last = n1.lastSequence();
      try (Coordinator c = Coordinator.start(CoordinatorOptions.of(zkAddress, "c1"))) {
        assertThat(c.awaitLive(ELECTION)).isTrue();
        // The primary's record (written every 200 ms) says what n2 lacks.
        await()
            .atMost(ELECTION)
            .until(() -> new ClusterRecords(c).primary().orElseThrow().sequence() >= last);
      }
      n1.kill();

      ReplicationCluster.Node n2 = nodes.get(1);
      await()
          .atMost(ELECTION)
          .until(() -> !n2.logLinesContaining("no primary: no replica qualifies").isEmpty());
      assertThat(n2.info().getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.REPLICA);
      StatusRuntimeException refused = null;
      try {
        put(n2, "async", "during", "x");
      } catch (StatusRuntimeException e) {
        refused = e;
      }
      assertThat(refused).isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.getStatus().getDescription()).contains("no primary");

      toN1.mode(TcpProxy.Mode.PASS);
      n1.restart();
      assertThat(awaitPrimary(nodes)).isSameAs(n1);
      await().atMost(CONVERGENCE).until(() -> n2.get(b("only-n1-49")).isPresent());
    } finally {
      toN1.close();
    }
  }

  @Test
  void restartingZooKeeperCausesNoFailoverAndLosesNoWrite() throws Exception {
    String zkAddress = zk.getConnectString();
    List<ReplicationCluster.Node> nodes =
        new ArrayList<>(
            List.of(member("n1", zkAddress), member("n2", zkAddress), member("n3", zkAddress)));
    ReplicationCluster.Node first = awaitPrimary(nodes);
    long firstEpoch = epoch(first);
    try (KevoClient client = client(nodes);
        BackgroundWriter writer = new BackgroundWriter(client, "w", 64, false).start(4)) {
      await().atMost(ELECTION).until(() -> writer.acknowledgedCount() >= 200);
      zk.restart();
      long ackedAtRestart = writer.acknowledgedCount();
      await().atMost(ELECTION).until(() -> writer.acknowledgedCount() >= ackedAtRestart + 200);
      writer.close();
      assertThat(awaitPrimary(nodes)).isSameAs(first);
      assertThat(epoch(first)).isEqualTo(firstEpoch);
      assertHoldsEvery(first, writer, writer.acknowledgedKeys());
    }
  }

  @Test
  void kevoSwitchoverUnderLoadMovesTheRoleAndLosesNoAcknowledgedWrite() throws Exception {
    String zkAddress = zk.getConnectString();
    List<ReplicationCluster.Node> nodes =
        new ArrayList<>(
            List.of(member("n1", zkAddress), member("n2", zkAddress), member("n3", zkAddress)));
    ReplicationCluster.Node first = awaitPrimary(nodes);
    ReplicationCluster.Node target =
        nodes.stream().filter(n -> n != first).findFirst().orElseThrow();
    try (KevoClient client = client(nodes);
        BackgroundWriter writer = new BackgroundWriter(client, "w", 64, false).start(8)) {
      await().atMost(ELECTION).until(() -> writer.acknowledgedCount() >= 500);
      var run =
          cluster.kevo(
              "switchover", "--coordinator", zkAddress, "--cluster", "c1", "--to", target.name);
      assertThat(run.status()).as("kevo switchover; stderr: %s", run.err()).isZero();
      assertThat(run.out())
          .contains("switched over from " + first.name + " to " + target.name)
          .contains("writes paused");
      assertThat(awaitPrimary(nodes)).isSameAs(target);
      long acked = writer.acknowledgedCount();
      await().atMost(ELECTION).until(() -> writer.acknowledgedCount() >= acked + 500);
      writer.close();
      assertHoldsEvery(target, writer, writer.acknowledgedKeys());
      System.out.printf(
          "%s; %d writes acknowledged%n", run.out().strip(), writer.acknowledgedCount());
    }
    var again =
        cluster.kevo("switchover", "--coordinator", zkAddress, "--cluster", "c1", "--to", "nobody");
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).contains("no live member nobody");
  }

  private static boolean refuses(ReplicationCluster.Node n) {
    try {
      put(n, "async", "probe", "p");
      return false;
    } catch (StatusRuntimeException e) {
      return true;
    }
  }

  private static Metadata put(ReplicationCluster.Node node, String ack, String key, String value) {
    Metadata headers = new Metadata();
    headers.put(ACK, ack);
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    node.stub()
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
        .put(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value))
                .build());
    return trailers.get();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
