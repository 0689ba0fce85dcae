package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.proto.RollbackTransactionRequest;
import io.kevo.proto.TxPutRequest;
import io.kevo.proto.replication.SnapshotChunk;
import io.kevo.proto.replication.SnapshotRequest;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code --metrics-listen}: a primary and a replica scraped while they work. */
class MetricsEndpointTest extends LocalNodesFixture {
  private KevoServiceGrpc.KevoServiceBlockingStub stub(KevoServer s) {
    return KevoServiceGrpc.newBlockingStub(channel(s)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private KevoServer nodeWithMetrics(String name, ServerOptions.Builder options) {
    return node(name, options.metricsListen("127.0.0.1", 0));
  }

  @Test
  void scrapesOfAPrimaryAndItsReplicaMoveWithLoadAndPassPromtool() {
    KevoServer primary = nodeWithMetrics("primary", ServerOptions.builder().role(NodeRole.PRIMARY));
    KevoServer replica =
        nodeWithMetrics(
            "replica",
            ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()));
    assertThat(primary.metricsPort()).isPositive().isNotEqualTo(replica.metricsPort());
    var p = stub(primary);
    p.put(PutRequest.newBuilder().setKey(b("warm")).setValue(b("up")).setSync(true).build());
    Exposition before = Exposition.scrape(primary.metricsPort());

    for (int i = 0; i < 300; i++) {
      p.put(PutRequest.newBuilder().setKey(b("k" + i)).setValue(b("value-" + i)).build());
      p.get(GetRequest.newBuilder().setKey(b("k" + (i / 2))).build());
    }
    assertThatThrownBy(() -> p.get(GetRequest.getDefaultInstance())) // an empty key is refused
        .isInstanceOf(StatusRuntimeException.class);
    String tx = p.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    p.commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(tx).build());
    loseAConflict(p);
    String dropped =
        p.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    p.rollbackTransaction(
        RollbackTransactionRequest.newBuilder().setTransactionId(dropped).build());
    long last = primary.db().latestSequence();
    await().atMost(Duration.ofSeconds(20)).until(() -> replica.db().latestSequence() == last);

    Exposition after = Exposition.scrape(primary.metricsPort());
    assertThat(after.value("kevo_rpc_requests_total", "method", "Put", "code", "OK"))
        .isGreaterThanOrEqualTo(301);
    assertThat(after.value("kevo_rpc_requests_total", "method", "Get", "code", "OK"))
        .isEqualTo(300);
    assertThat(after.value("kevo_rpc_errors_total", "method", "Get")).isEqualTo(1);
    assertThat(after.value("kevo_rpc_errors_total", "code", "OK")).isNaN();
    assertThat(after.value("kevo_rpc_duration_seconds_count", "method", "Put"))
        .isGreaterThanOrEqualTo(301);
    assertThat(after.all("kevo_rpc_duration_seconds_bucket")).hasSizeGreaterThan(10);
    assertThat(after.value("kevo_engine_puts_total"))
        .isGreaterThanOrEqualTo(before.value("kevo_engine_puts_total") + 300);
    assertThat(after.value("kevo_engine_wal_bytes"))
        .isGreaterThan(before.value("kevo_engine_wal_bytes"));
    assertThat(after.value("kevo_engine_memtable_bytes")).isPositive();
    assertThat(after.value("kevo_engine_sequence_latest")).isEqualTo(last);
    assertThat(after.value("kevo_engine_writes_refused")).isZero();
    assertThat(after.value("disk_free_bytes")).isPositive();
    assertThat(after.value("kevo_transactions_total", "event", "begun")).isEqualTo(4);
    assertThat(after.value("kevo_transactions_total", "event", "committed")).isEqualTo(2);
    assertThat(after.value("kevo_transactions_total", "event", "conflict")).isEqualTo(1);
    assertThat(after.value("kevo_transactions_total", "event", "rolled_back")).isEqualTo(1);
    assertThat(after.value("kevo_transactions_total", "event", "expired")).isZero();
    assertThat(after.value("kevo_engine_wal_sync_seconds_count")).isPositive();
    assertThat(after.value("kevo_engine_wal_sync_seconds_sum")).isPositive();
    assertThat(after.value("kevo_engine_read_amplification"))
        .as("every read was answered by the memtable")
        .isZero();
    assertThat(after.value("kevo_engine_write_stops_total")).isZero();
    assertThat(after.value("kevo_engine_write_stall_seconds_total")).isZero();
    assertThat(after.value("kevo_transactions_open")).isZero();
    assertThat(after.value("kevo_rpc_read_bytes_total")).isPositive();
    assertThat(after.value("kevo_scans_open")).isZero();
    assertThat(after.value("kevo_node_role", "role", "primary")).isEqualTo(1);
    assertThat(after.value("kevo_node_role", "role", "replica")).isZero();
    assertThat(after.all("kevo_primary_replica_acked_sequence")).hasSize(1);
    assertThat(after.value("kevo_primary_replicas_connected")).isEqualTo(1);
    assertThat(after.value("kevo_primary_replica_sent_bytes_total")).isPositive();
    assertThat(after.value("kevo_auth_denied_total", "code", "PERMISSION_DENIED")).isZero();
    assertThat(after.value("jvm_memory_used_bytes")).isPositive();
    assertThat(after.value("kevo_replica_applied_sequence")).isNaN(); // not a replica

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Exposition r = Exposition.scrape(replica.metricsPort());
              assertThat(r.value("kevo_replica_applied_sequence")).isEqualTo(last);
              assertThat(r.value("kevo_node_role", "role", "replica")).isEqualTo(1);
              assertThat(r.value("kevo_engine_sequence_latest")).isEqualTo(last);
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        Exposition.scrape(primary.metricsPort())
                            .value("kevo_primary_replica_acked_sequence"))
                    .isEqualTo(last));

    Promtool.checkMetrics(after.text());
    Promtool.checkMetrics(Exposition.scrape(replica.metricsPort()).text());
  }

  /** Two optimistic transactions write one key; the second to commit loses. */
  private static void loseAConflict(KevoServiceGrpc.KevoServiceBlockingStub p) {
    String first =
        p.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    String second =
        p.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    for (String tx : new String[] {first, second}) {
      p.txPut(
          TxPutRequest.newBuilder()
              .setTransactionId(tx)
              .setKey(b("contended"))
              .setValue(b(tx))
              .build());
    }
    p.commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(first).build());
    assertThatThrownBy(
            () ->
                p.commitTransaction(
                    CommitTransactionRequest.newBuilder().setTransactionId(second).build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("ABORTED");
  }

  @Test
  void aBootstrapInProgressShowsHowFarItsTransferHasCome() {
    KevoServer primary = nodeWithMetrics("primary", ServerOptions.builder().role(NodeRole.PRIMARY));
    var p = stub(primary);
    Random random = new Random(7);
    byte[] value = new byte[1024];
    for (int i = 0; i < 4000; i++) {
      random.nextBytes(value);
      p.put(
          PutRequest.newBuilder()
              .setKey(b(String.format("k%05d", i)))
              .setValue(ByteString.copyFrom(value))
              .build());
    }
    primary.db().flush();

    // A replica that reads one chunk and then nothing: HTTP/2 flow control stops the primary after
    // about a window's worth, well short of the 4 MB of tables.
    ClientCall<SnapshotRequest, SnapshotChunk> call =
        channel(primary)
            .newCall(WALReplicationServiceGrpc.getFetchSnapshotMethod(), CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {}, new Metadata());
    call.sendMessage(
        SnapshotRequest.newBuilder().setReplicaId("slow-replica").setMaxChunkBytes(4096).build());
    call.halfClose();
    call.request(1);
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                Exposition e = Exposition.scrape(primary.metricsPort());
                double sent =
                    e.value(
                        "kevo_primary_bootstrap_transfer_sent_bytes", "replica", "slow-replica");
                double size =
                    e.value(
                        "kevo_primary_bootstrap_transfer_size_bytes", "replica", "slow-replica");
                assertThat(size).isGreaterThan(4_000_000);
                assertThat(sent).isPositive().isLessThan(size);
                assertThat(e.value("kevo_primary_bootstraps_active")).isEqualTo(1);
              });
    } finally {
      call.cancel("the test is done with it", null);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Exposition e = Exposition.scrape(primary.metricsPort());
              assertThat(
                      e.value(
                          "kevo_primary_bootstrap_transfer_sent_bytes", "replica", "slow-replica"))
                  .as("an ended transfer's meters are gone")
                  .isNaN();
              assertThat(e.value("kevo_primary_bootstraps_total", "outcome", "failed"))
                  .isEqualTo(1);
            });
  }

  @Test
  void aPromotedReplicaReportsItselfAsPrimaryAtTheNextScrape() {
    KevoServer primary = node("primary", ServerOptions.builder().role(NodeRole.PRIMARY));
    KevoServer replica =
        nodeWithMetrics(
            "replica",
            ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()));
    stub(primary).put(PutRequest.newBuilder().setKey(b("k")).setValue(b("v")).build());
    long last = primary.db().latestSequence();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Exposition.scrape(replica.metricsPort()).value("kevo_replica_applied_sequence")
                    == last);
    primary.close();

    io.kevo.proto.replication.ReplicationAdminGrpc.newBlockingStub(channel(replica))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .promote(io.kevo.proto.replication.PromoteRequest.getDefaultInstance());
    stub(replica).put(PutRequest.newBuilder().setKey(b("after")).setValue(b("v")).build());

    Exposition promoted = Exposition.scrape(replica.metricsPort());
    assertThat(promoted.value("kevo_node_role", "role", "primary")).isEqualTo(1);
    assertThat(promoted.value("kevo_node_role", "role", "replica")).isZero();
    assertThat(promoted.value("kevo_replica_applied_sequence")).isNaN();
    assertThat(promoted.value("kevo_primary_replicas_connected")).isZero();
    assertThat(promoted.value("kevo_rpc_requests_total", "method", "Put", "code", "OK"))
        .isEqualTo(1);
  }

  @Test
  void aMetricsAddressInUseStopsTheNodeFromStartingWithAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(
              () ->
                  node(
                      "refused",
                      ServerOptions.builder().metricsListen("127.0.0.1", taken.getLocalPort())))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot listen for metrics on 127.0.0.1:" + taken.getLocalPort());
    }
    KevoServer plain = node("plain", ServerOptions.builder());
    assertThat(plain.metricsPort()).isEqualTo(-1);
  }

  @Test
  void onlyMetricsIsServedAndAClosedNodeStopsServingIt() throws Exception {
    KevoServer s = nodeWithMetrics("one", ServerOptions.builder());
    int port = s.metricsPort();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> other =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/other")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    s.close();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }
}
