package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.ShardRange;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.ScanRequest;
import io.kevo.wire.WireMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes of a sharded cluster with a real ZooKeeper (Curator's TestingServer): a node of shard
 * {@code s1} joins its shard's own replication group, serves the keys of its range and refuses the
 * others naming their shard and the map's version; it follows a change of the map; and a node whose
 * cluster and options disagree about sharding serves nothing rather than the wrong keys.
 */
@Timeout(120)
class ShardedNodeTest extends LocalNodesFixture {
  private static final Duration WITHIN = Duration.ofSeconds(30);

  private TestingServer zk;
  private Coordinator admin;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(true);
    open.add(zk);
    admin = Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), "shop"));
    open.add(admin);
    assertThat(admin.awaitLive(WITHIN)).isTrue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private KevoServer member(String id, String shard) {
    FailoverOptions failover =
        FailoverOptions.of(zk.getConnectString(), "shop")
            .withCoordinator(
                CoordinatorOptions.of(zk.getConnectString(), "shop")
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1))
                    .forShard(shard))
            .withNodeId(id)
            .withIntervals(Duration.ZERO, Duration.ofMillis(300));
    return node(id, ServerOptions.builder().role(NodeRole.REPLICA).failover(failover));
  }

  private KevoServiceGrpc.KevoServiceBlockingStub stub(KevoServer s) {
    return KevoServiceGrpc.newBlockingStub(channel(s)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static void put(KevoServiceGrpc.KevoServiceBlockingStub stub, String key) {
    stub.put(PutRequest.newBuilder().setKey(b(key)).setValue(b("v-" + key)).build());
  }

  private static String get(KevoServiceGrpc.KevoServiceBlockingStub stub, String key) {
    var r = stub.get(GetRequest.newBuilder().setKey(b(key)).build());
    return r.getFound() ? r.getValue().toStringUtf8() : null;
  }

  private static List<String> scan(KevoServiceGrpc.KevoServiceBlockingStub stub, ScanRequest req) {
    List<String> keys = new ArrayList<>();
    Iterator<io.kevo.proto.ScanResponse> it = stub.scan(req);
    it.forEachRemaining(r -> keys.add(r.getKey().toStringUtf8()));
    return keys;
  }

  /** The call's refusal: its status code, and the shard and map version in its trailers. */
  private static String refusal(Runnable call) {
    StatusRuntimeException e = (StatusRuntimeException) catchThrowable(call::run);
    assertThat(e).as("the call was refused").isNotNull();
    return e.getStatus().getCode()
        + " shard="
        + e.getTrailers().get(WireMetadata.SHARD)
        + " version="
        + e.getTrailers().get(WireMetadata.SHARD_MAP_VERSION)
        + ": "
        + e.getStatus().getDescription();
  }

  @Test
  void aShardsNodeServesItsRangeAndSendsEveryOtherKeyToItsOwner() throws Exception {
    ShardMap v1 = ShardMap.splitAt(List.of(bytes("m")));
    new ShardMapStore(admin).create(v1);
    KevoServer n1 = member("n1", "s1");
    await().atMost(WITHIN).until(() -> n1.role() == NodeRole.PRIMARY);
    var s = stub(n1);

    put(s, "apple");
    put(s, "kiwi");
    assertThat(get(s, "apple")).isEqualTo("v-apple");

    assertThat(refusal(() -> put(s, "zebra")))
        .isEqualTo(
            "FAILED_PRECONDITION shard=s2 version=1: key \"zebra\" belongs to shard s2 (shard map"
                + " version 1); this node serves shard s1 [-, \"m\")");
    assertThat(refusal(() -> get(s, "melon"))).startsWith("FAILED_PRECONDITION shard=s2 version=1");
    assertThat(refusal(() -> s.delete(DeleteRequest.newBuilder().setKey(b("\u00ff")).build())))
        .startsWith(
            "FAILED_PRECONDITION shard=s2 version=1: key \"\\xc3\\xbf\" belongs to shard s2");

    // A batch with one foreign key is refused whole: nothing of it is written.
    BatchWriteRequest batch =
        BatchWriteRequest.newBuilder()
            .addOperations(
                Operation.newBuilder()
                    .setType(Operation.Type.PUT)
                    .setKey(b("banana"))
                    .setValue(b("1")))
            .addOperations(
                Operation.newBuilder()
                    .setType(Operation.Type.PUT)
                    .setKey(b("pear"))
                    .setValue(b("1")))
            .build();
    assertThat(refusal(() -> s.batchWrite(batch)))
        .endsWith("; nothing of the batch was written (a batch spans one shard only)");
    assertThat(get(s, "banana")).isNull();

    // A transaction's keys must all be this shard's.
    String tx =
        s.beginTransaction(io.kevo.proto.BeginTransactionRequest.getDefaultInstance())
            .getTransactionId();
    s.txPut(
        io.kevo.proto.TxPutRequest.newBuilder()
            .setTransactionId(tx)
            .setKey(b("fig"))
            .setValue(b("1"))
            .build());
    assertThat(
            refusal(
                () ->
                    s.txPut(
                        io.kevo.proto.TxPutRequest.newBuilder()
                            .setTransactionId(tx)
                            .setKey(b("plum"))
                            .setValue(b("1"))
                            .build())))
        .endsWith("this node serves shard s1 [-, \"m\"); a transaction spans one shard only");

    // Scans within the range are served; one that reaches past it names the next shard.
    assertThat(scan(s, ScanRequest.newBuilder().setStartKey(b("a")).setEndKey(b("m")).build()))
        .containsExactly("apple", "kiwi");
    assertThat(scan(s, ScanRequest.newBuilder().setPrefix(b("k")).build())).containsExactly("kiwi");
    assertThat(refusal(() -> scan(s, ScanRequest.newBuilder().build())))
        .startsWith("FAILED_PRECONDITION shard=s2 version=1: the scan reaches keys of shard s2");

    // The shard group's records live under the shard: its primary is n1, the root's group is
    // empty.
    try (Coordinator g = Coordinator.start(admin.options().forShard("s1"))) {
      assertThat(g.awaitLive(WITHIN)).isTrue();
      assertThat(ClusterView.read(g).primaryMember().orElseThrow().id()).isEqualTo("n1");
      // Its member entry reports its database's size, for kevo cluster status.
      await()
          .atMost(WITHIN)
          .until(() -> ClusterView.read(g).primaryMember().orElseThrow().dataBytes() > 0);
    }
    assertThat(ClusterView.read(admin).members()).isEmpty();

    // The map changes: s1 gives [g, m) to a new shard s3. The node follows it.
    List<ShardRange> next =
        List.of(
            new ShardRange("s1", new byte[0], bytes("g")),
            new ShardRange("s3", bytes("g"), bytes("m")),
            new ShardRange("s2", bytes("m"), null));
    new ShardMapStore(admin).replace(v1, new ShardMap(2, next));
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(refusal(() -> get(s, "kiwi")))
                    .startsWith(
                        "FAILED_PRECONDITION shard=s3 version=2: key \"kiwi\" belongs to shard"
                            + " s3"));
    assertThat(get(s, "apple")).isEqualTo("v-apple");
  }

  @Test
  void aNodeWhoseShardIsNotInTheMapOrWhoseClusterIsNotShardedServesNoKey() throws Exception {
    KevoServer lost = member("n1", "s1");
    // No map: the cluster is not sharded, and a node started for a shard serves nothing.
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(refusal(() -> get(stub(lost), "a")))
                    .isEqualTo(
                        "FAILED_PRECONDITION shard=null version=0: cluster shop is not sharded (no"
                            + " shard map), and this node was started for shard s1: run kevo"
                            + " cluster init, or start it without --shard"));

    new ShardMapStore(admin).create(ShardMap.splitAt(List.of(bytes("m"))));
    // Once the map exists, s1 is in it and the node serves its keys.
    await().atMost(WITHIN).until(() -> lost.role() == NodeRole.PRIMARY);
    await()
        .atMost(WITHIN)
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .untilAsserted(() -> put(stub(lost), "a"));

    KevoServer stray = member("n9", "s7");
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(refusal(() -> get(stub(stray), "a")))
                    .isEqualTo(
                        "FAILED_PRECONDITION shard=null version=1: cluster shop's shard map"
                            + " (version 1) has no shard s7, which this node was started for"));
  }

  @Test
  void aNodeStartedWithoutAShardInAShardedClusterServesNoKey() throws Exception {
    new ShardMapStore(admin).create(ShardMap.even(2));
    FailoverOptions unsharded =
        FailoverOptions.of(zk.getConnectString(), "shop")
            .withCoordinator(
                CoordinatorOptions.of(zk.getConnectString(), "shop")
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)))
            .withNodeId("old")
            .withIntervals(Duration.ZERO, Duration.ofMillis(300));
    KevoServer old =
        node("old", ServerOptions.builder().role(NodeRole.REPLICA).failover(unsharded));

    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(refusal(() -> get(stub(old), "a")))
                    .isEqualTo(
                        "FAILED_PRECONDITION shard=null version=1: cluster shop is sharded (shard"
                            + " map version 1), and this node serves no shard: it was started"
                            + " without --shard"));
    // Calls without keys still answer.
    assertThat(stub(old).getNodeInfo(GetNodeInfoRequest.getDefaultInstance())).isNotNull();
  }
}
