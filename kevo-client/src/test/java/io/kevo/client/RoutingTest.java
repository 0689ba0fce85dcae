package io.kevo.client;

import static io.kevo.proto.GetNodeInfoResponse.NodeRole.PRIMARY;
import static io.kevo.proto.GetNodeInfoResponse.NodeRole.REPLICA;
import static io.kevo.proto.GetNodeInfoResponse.NodeRole.STANDALONE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which node each call reaches: a fake primary and two fake replicas ({@link FakeNode}) that report
 * the topology through GetNodeInfo, record who served each call, and refuse writes on the replicas
 * with FAILED_PRECONDITION and a kevo-primary trailer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoutingTest {
  private final FakeNode.CallLog log = new FakeNode.CallLog();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private FakeNode primary;
  private FakeNode r1;
  private FakeNode r2;

  @BeforeEach
  void startCluster() {
    primary = node("P", PRIMARY);
    r1 = node("R1", REPLICA);
    r2 = node("R2", REPLICA);
    primary.advertisedPrimary = primary.address();
    primary.reportReplicas(List.of(r1, r2), List.of(true, true));
    r1.advertisedPrimary = primary.address();
    r2.advertisedPrimary = primary.address();
  }

  @AfterEach
  void stopAll() throws Exception {
    Collections.reverse(toClose); // clients first, then servers
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private FakeNode node(String name, io.kevo.proto.GetNodeInfoResponse.NodeRole role) {
    FakeNode n = new FakeNode(name, role, log);
    toClose.add(n);
    return n;
  }

  /**
   * A client seeded with {@code seeds}: reads on replicas without a session (what these routing
   * tests are about), short deadline and backoff, no background refresh, then {@code custom}.
   */
  private KevoClient client(UnaryOperator<ClientOptions.Builder> custom, FakeNode... seeds) {
    List<String> addresses = new ArrayList<>();
    for (FakeNode s : seeds) {
      addresses.add(s.address());
    }
    ClientOptions.Builder options =
        ClientOptions.builder()
            .endpoints(addresses)
            .readPreference(ReadPreference.REPLICA_PREFERRED)
            .sessionConsistency(false)
            .deadline(Duration.ofSeconds(2))
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .topologyRefreshInterval(Duration.ZERO);
    KevoClient client = KevoClient.connect(custom.apply(options).build());
    toClose.add(client);
    return client;
  }

  private KevoClient client(FakeNode... seeds) {
    return client(o -> o, seeds);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  /** The node that served a get: the fakes answer with their name. */
  private static String servedGet(KevoClient client) {
    return new String(client.get(b("k")).orElseThrow(), UTF_8);
  }

  private static String servedScan(KevoScan scan) {
    try (scan) {
      return new String(scan.next().key(), UTF_8);
    }
  }

  private static void writeEverything(KevoClient client) {
    client.put(b("k"), b("v"));
    client.delete(b("k"));
    client.batch(List.of(Op.put(b("a"), b("1")), Op.delete(b("b"))));
    client.putAsync(b("k"), b("v"), false).join();
    client.deleteAsync(b("k"), true).join();
    client.batchAsync(List.of(Op.delete(b("a"))), false).join();
  }

  private static final List<String> WRITES =
      List.of("Put", "Delete", "BatchWrite", "Put", "Delete", "BatchWrite");

  @Test
  void writesReachThePrimaryWhenSeededWithAReplicaOnly() {
    KevoClient client = client(r2);

    writeEverything(client);

    assertThat(log.dataCalls("P")).isEqualTo(WRITES);
    assertThat(log.dataCalls("R2")).isEmpty(); // discovery found the primary: no redirect needed
    Topology t = client.topology();
    assertThat(t.primary()).isEqualTo(primary.address());
    assertThat(t.replicas())
        .extracting(Topology.Replica::address)
        .containsExactly(r1.address(), r2.address());
    assertThat(t.refreshedAt()).isNotNull();
    assertThat(t.source()).isEqualTo(primary.address());
  }

  @Test
  void writeToAReplicaFollowsTheRedirectAndDiscoversTheTopology() {
    r1.advertisedPrimary = ""; // a replica that does not say who the primary is, but redirects
    r1.redirectTo = primary.address();
    KevoClient client = client(r1);

    client.put(b("k"), b("v"));

    assertThat(log.nodes("Put")).containsExactly("R1", "P");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(client.topology().primary()).isEqualTo(primary.address());
              assertThat(client.topology().replicas())
                  .extracting(Topology.Replica::address)
                  .contains(r1.address(), r2.address());
            });
    client.delete(b("k"));
    client.batchAsync(List.of(Op.delete(b("k"))), false).join();
    assertThat(log.nodes("Delete")).containsExactly("P");
    assertThat(log.nodes("BatchWrite")).containsExactly("P");
  }

  @Test
  void asyncWritesAndReadWriteTransactionsFollowRedirectsToo() {
    r1.advertisedPrimary = "";
    r1.redirectTo = primary.address();
    KevoClient asyncClient = client(r1);
    asyncClient.putAsync(b("k"), b("v"), false).join();
    assertThat(log.nodes("Put")).containsExactly("R1", "P");

    KevoClient txClient = client(r1);
    try (ClientTransaction tx = txClient.beginTransaction(false)) {
      assertThat(tx.node()).isEqualTo(primary.address());
    }
    assertThat(log.nodes("BeginTransaction")).containsExactly("R1", "P");
  }

  @Test
  void readsGoRoundRobinOverAvailableReplicasAndNeverToAnUnavailableOne() {
    FakeNode r3 = node("R3", REPLICA);
    r3.advertisedPrimary = primary.address();
    primary.reportReplicas(List.of(r1, r2, r3), List.of(true, true, false));
    KevoClient client = client(primary);

    List<String> served = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      served.add(servedGet(client));
    }
    for (int i = 0; i < 4; i++) {
      served.add(servedScan(client.scan(ScanSpec.ALL)));
    }
    for (int i = 0; i < 4; i++) {
      served.add(new String(client.getAsync(b("k")).join().orElseThrow(), UTF_8));
    }

    assertThat(served)
        .containsExactly(
            "R1", "R2", "R1", "R2", "R1", "R2", "R1", "R2", "R1", "R2", "R1", "R2", "R1", "R2");
    assertThat(log.dataCalls("R3")).isEmpty();
    assertThat(log.dataCalls("P")).isEmpty();
    assertThat(client.topology().readableReplicas()).containsExactly(r1.address(), r2.address());
  }

  @Test
  void primaryPreferenceSendsEverythingToThePrimary() {
    KevoClient client = client(o -> o.readPreference(ReadPreference.PRIMARY), r1);

    for (int i = 0; i < 4; i++) {
      assertThat(servedGet(client)).isEqualTo("P");
      assertThat(servedScan(client.scan(ScanSpec.ALL))).isEqualTo("P");
    }
    try (ClientTransaction tx = client.beginTransaction(true)) {
      assertThat(tx.node()).isEqualTo(primary.address());
      tx.get(b("k"));
    }
    writeEverything(client);

    assertThat(log.dataCalls("R1")).isEmpty();
    assertThat(log.dataCalls("R2")).isEmpty();
    assertThat(log.dataCalls("P")).hasSize(8 + 3 + WRITES.size());
  }

  @Test
  void primaryPreferredUsesReplicasOnlyWhenThePrimaryIsDown() {
    KevoClient client = client(o -> o.readPreference(ReadPreference.PRIMARY_PREFERRED), r1);
    for (int i = 0; i < 4; i++) {
      assertThat(servedGet(client)).isEqualTo("P");
    }
    assertThat(log.dataCalls("R1")).isEmpty();
    assertThat(log.dataCalls("R2")).isEmpty();

    primary.close();

    List<String> served = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      served.add(servedGet(client)); // no failure: the first one is retried on a replica
    }
    served.add(servedScan(client.scan(ScanSpec.ALL)));
    assertThat(served).containsOnly("R1", "R2").contains("R1", "R2");
    assertThat(client.topology().unreachable()).containsExactly(primary.address());
    assertThat(client.topology().primary()).isEqualTo(primary.address());
  }

  @Test
  void replicaGoingDownMidRunReroutesReadsWithoutFailure() {
    KevoClient client = client(primary);
    assertThat(List.of(servedGet(client), servedGet(client))).containsExactly("R1", "R2");

    r2.close();

    List<String> served = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      served.add(servedGet(client));
      served.add(servedScan(client.scan(ScanSpec.ALL)));
      served.add(new String(client.getAsync(b("k")).join().orElseThrow(), UTF_8));
    }
    assertThat(served).containsOnly("R1");
    Topology t = client.topology();
    assertThat(t.unreachable()).containsExactly(r2.address());
    assertThat(t.readableReplicas()).containsExactly(r1.address());
    // The primary still reports R2 available; the refresh after the failure asked the primary.
    assertThat(t.source()).isEqualTo(primary.address());
    assertThat(log.nodes("GetNodeInfo")).containsExactly("P", "P");
  }

  @Test
  void writesFollowAFailoverFoundByTheRefreshAfterThePrimaryStops() {
    KevoClient client = client(r2);
    client.put(b("k"), b("v"));
    assertThat(log.nodes("Put")).containsExactly("P");

    // The primary dies; R1 is promoted and R2 now follows it.
    primary.close();
    r1.role = PRIMARY;
    r1.advertisedPrimary = r1.address();
    r1.reportReplicas(List.of(r2), List.of(true));
    r2.advertisedPrimary = r1.address();

    client.put(b("k"), b("v2")); // fails on P, refreshes, is redone on R1: no user-visible failure
    client.delete(b("k"));

    assertThat(log.nodes("Put")).containsExactly("P", "R1");
    assertThat(log.nodes("Delete")).containsExactly("R1");
    assertThat(client.topology().primary()).isEqualTo(r1.address());
    assertThat(client.topology().readableReplicas()).containsExactly(r2.address());
  }

  @Test
  void aSupersededPrimaryIsPassedOverForTheOneOfTheNewerEpoch() {
    // P came back after R1 was promoted; a replica told it so, and it says it is superseded.
    r1.role = PRIMARY;
    r1.advertisedPrimary = r1.address();
    r1.replication = java.util.Map.of("epoch", "2");
    primary.replication =
        java.util.Map.of("epoch", "1", "superseded", "this primary is stale: replica ...");
    KevoClient client = client(primary, r1);
    client.put(b("k"), b("v"));
    assertThat(log.nodes("Put")).containsExactly("R1");
    assertThat(client.topology().primary()).isEqualTo(r1.address());
  }

  @Test
  void aNodePassedOverIsTriedAgainAfterTheBackoff() {
    MutableClock clock = new MutableClock();
    ClientOptions options =
        ClientOptions.builder()
            .endpoint(primary.address())
            .readPreference(ReadPreference.REPLICA_PREFERRED)
            .sessionConsistency(false)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .topologyRefreshInterval(Duration.ZERO)
            .unavailableNodeBackoff(Duration.ofSeconds(5))
            .build();
    KevoClient client = KevoClient.connect(options, clock);
    toClose.add(client);
    assertThat(List.of(servedGet(client), servedGet(client))).containsExactly("R1", "R2");

    r2.unavailable = true; // restarting: answers UNAVAILABLE
    List<String> served = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      served.add(servedGet(client));
    }
    assertThat(served).containsOnly("R1");
    assertThat(log.nodes("UNAVAILABLE Get")).containsExactly("R2"); // tried once, then passed over

    r2.unavailable = false;
    clock.advance(Duration.ofSeconds(4));
    assertThat(client.topology().unreachable()).containsExactly(r2.address());
    clock.advance(Duration.ofSeconds(2));
    assertThat(client.topology().unreachable()).isEmpty();
    served.clear();
    for (int i = 0; i < 4; i++) {
      served.add(servedGet(client));
    }
    assertThat(served).containsExactlyInAnyOrder("R1", "R1", "R2", "R2");
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void everyReplicaDownSendsReadsToThePrimary() {
    KevoClient client = client(primary);
    servedGet(client);
    r1.close();
    r2.close();

    for (int i = 0; i < 4; i++) {
      assertThat(servedGet(client)).isEqualTo("P");
    }
    assertThat(client.topology().unreachable()).contains(r1.address(), r2.address());
  }

  @Test
  void redirectLoopEndsWithAClearErrorAfterTheBound() {
    FakeNode a = node("A", REPLICA);
    FakeNode b = node("B", REPLICA);
    a.advertisedPrimary = b.address();
    b.advertisedPrimary = a.address();
    KevoClient client = client(o -> o.maxRedirects(3), a);

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.put(b("k"), b("v")))
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getMessage())
                  .contains("after following 3 redirects")
                  .contains(a.address())
                  .contains(b.address());
              assertThat(e.serverMessage()).contains("is a replica");
            });
    assertThat(log.nodes("Put")).hasSize(4); // the first attempt and 3 redirects, no retry
    assertThatThrownBy(() -> client.putAsync(b("k"), b("v"), false).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThat(log.nodes("Put")).hasSize(8);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void readWriteTransactionsRunOnThePrimaryAndAllTheirCallsStickToIt() {
    KevoClient client = client(r1);

    try (ClientTransaction tx = client.beginTransaction(false)) {
      assertThat(tx.node()).isEqualTo(primary.address());
      assertThat(tx.get(b("k")).map(v -> new String(v, UTF_8))).contains("P");
      tx.put(b("k"), b("v"));
      tx.delete(b("j"));
      assertThat(servedScan(tx.scan(ScanSpec.ALL))).isEqualTo("P");
      servedGet(client); // reads outside the transaction still go to replicas meanwhile
      tx.commit();
    }
    try (ClientTransaction tx = client.beginTransaction(false)) {
      tx.put(b("k"), b("v"));
      tx.rollback();
    }
    assertThat(log.dataCalls("P"))
        .containsExactly(
            "BeginTransaction",
            "TxGet",
            "TxPut",
            "TxDelete",
            "TxScan",
            "CommitTransaction",
            "BeginTransaction",
            "TxPut",
            "RollbackTransaction");
  }

  @Test
  void readOnlyTransactionsRunOnAReplicaAndStickToIt() {
    KevoClient client = client(primary);

    String node;
    try (ClientTransaction tx = client.beginTransaction(true)) {
      node = tx.node();
      for (int i = 0; i < 4; i++) {
        tx.get(b("k"));
      }
      servedScan(tx.scan(ScanSpec.ALL));
      tx.rollback();
    }
    String name = node.equals(r1.address()) ? "R1" : "R2";
    assertThat(node).isIn(r1.address(), r2.address());
    assertThat(log.dataCalls(name))
        .containsExactly(
            "BeginTransaction",
            "TxGet",
            "TxGet",
            "TxGet",
            "TxGet",
            "TxScan",
            "RollbackTransaction");
    assertThat(log.dataCalls("P")).isEmpty();
  }

  @Test
  void standaloneNodeIsThePrimaryWithoutReplicas() {
    FakeNode solo = node("S", STANDALONE);
    KevoClient client = client(solo);

    assertThat(servedGet(client)).isEqualTo("S");
    client.put(b("k"), b("v"));

    Topology t = client.topology();
    assertThat(t.primary()).isEqualTo(solo.address());
    assertThat(t.replicas()).isEmpty();
    assertThat(log.dataCalls("S")).containsExactly("Get", "Put");
  }

  @Test
  void periodicRefreshPicksUpTopologyChangesWithoutCalls() {
    primary.reportReplicas(List.of(r1), List.of(true));
    KevoClient idle = client(o -> o.topologyRefreshInterval(Duration.ofMillis(50)), primary);
    KevoClient periodic = client(o -> o.topologyRefreshInterval(Duration.ofMillis(50)), primary);
    assertThat(servedGet(periodic)).isEqualTo("R1");

    primary.reportReplicas(List.of(r1, r2), List.of(false, true));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(periodic.topology().readableReplicas()).containsExactly(r2.address()));
    for (int i = 0; i < 3; i++) {
      assertThat(servedGet(periodic)).isEqualTo("R2");
    }
    // The timer refreshes even a client that never made a call.
    assertThat(idle.topology().readableReplicas()).containsExactly(r2.address());
  }

  @Test
  void closeShutsDownEveryChannel() {
    KevoClient client = client(r1);
    client.put(b("k"), b("v"));
    servedGet(client);
    servedGet(client);
    var channels = client.channels();
    assertThat(channels.keySet())
        .containsExactlyInAnyOrder(primary.address(), r1.address(), r2.address());

    client.close();
    client.close();

    for (ManagedChannel ch : channels.values()) {
      assertThat(ch.isShutdown()).isTrue();
      assertThat(ch.isTerminated()).isTrue();
    }
    assertThatThrownBy(() -> client.get(b("k")))
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(client.channels()).hasSize(3); // no channel made after close
  }

  @Test
  void routingOptionsAreValidated() {
    assertThatThrownBy(() -> ClientOptions.builder().maxRedirects(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ClientOptions.builder().topologyRefreshInterval(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ClientOptions.builder().unavailableNodeBackoff(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    ClientOptions d = ClientOptions.DEFAULT;
    assertThat(d.readPreference()).isEqualTo(ReadPreference.PRIMARY);
    assertThat(d.sessionConsistency()).isTrue();
    assertThat(d.topologyRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxRedirects()).isEqualTo(3);
  }
}
