package io.kevo.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;
import io.kevo.server.ServerProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every client call against a real server on an ephemeral port. */
class KevoClientTest {
  @TempDir Path dir;
  private ServerFixture fx;
  private KevoClient client;

  @BeforeEach
  void start() {
    fx = new ServerFixture(dir);
    client = fx.client;
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, UTF_8);
  }

  private static List<String> drain(KevoScan scan) {
    List<String> out = new ArrayList<>();
    try (scan) {
      scan.forEachRemaining(kv -> out.add(s(kv.key()) + "=" + s(kv.value())));
    }
    return out;
  }

  @Test
  void putGetDeleteRoundTrip() {
    client.put(b("k"), b("v"));
    client.put(b("synced"), b("s"), true);

    assertThat(client.get(b("k"))).hasValueSatisfying(v -> assertThat(s(v)).isEqualTo("v"));
    assertThat(client.get(b("synced"))).isPresent();
    assertThat(client.get(b("missing"))).isEmpty();

    client.delete(b("k"));
    client.delete(b("never-there"), true);
    assertThat(client.get(b("k"))).isEmpty();
  }

  @Test
  void emptyValueIsAValueNotAnAbsence() {
    client.put(b("empty"), new byte[0]);

    Optional<byte[]> got = client.get(b("empty"));
    assertThat(got).isPresent();
    assertThat(got.get()).isEmpty();
    assertThat(client.getAsync(b("empty")).join()).hasValueSatisfying(v -> assertThat(v).isEmpty());
  }

  @Test
  void batchAppliesPutsAndDeletesInOrder() {
    client.put(b("gone"), b("x"));

    client.batch(
        List.of(
            Op.put(b("a"), b("1")),
            Op.put(b("b"), b("2")),
            Op.delete(b("gone")),
            Op.put(b("a"), b("3"))));

    assertThat(client.get(b("a")).map(KevoClientTest::s)).contains("3");
    assertThat(client.get(b("b")).map(KevoClientTest::s)).contains("2");
    assertThat(client.get(b("gone"))).isEmpty();
  }

  @Test
  void asyncCallsComplete() throws Exception {
    CompletableFuture<Void> put = client.putAsync(b("a"), b("1"), false);
    put.get(10, TimeUnit.SECONDS);
    client.batchAsync(List.of(Op.put(b("b"), b("2")), Op.delete(b("a"))), true).join();

    assertThat(client.getAsync(b("b")).join().map(KevoClientTest::s)).contains("2");
    assertThat(client.getAsync(b("a")).join()).isEmpty();

    client.deleteAsync(b("b"), false).join();
    assertThat(client.getAsync(b("b")).join()).isEmpty();
  }

  @Test
  void asyncFailureCarriesTheStatus() {
    CompletableFuture<Void> put = client.putAsync(new byte[0], b("v"), false);

    assertThatThrownBy(put::join)
        .cause()
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void scanSelectsByPrefixRangeSuffixAndLimit() {
    for (String k : List.of("a1", "a2", "b1", "b2", "c1")) {
      client.put(b(k), b(k.toUpperCase()));
    }

    assertThat(drain(client.scan(ScanSpec.ALL)))
        .containsExactly("a1=A1", "a2=A2", "b1=B1", "b2=B2", "c1=C1");
    assertThat(drain(client.scan(ScanSpec.prefix(b("b"))))).containsExactly("b1=B1", "b2=B2");
    assertThat(drain(client.scan(ScanSpec.range(b("a2"), b("c1")))))
        .containsExactly("a2=A2", "b1=B1", "b2=B2");
    assertThat(drain(client.scan(ScanSpec.builder().suffix(b("1")).build())))
        .containsExactly("a1=A1", "b1=B1", "c1=C1");
    assertThat(drain(client.scan(ScanSpec.builder().limit(2).build())))
        .containsExactly("a1=A1", "a2=A2");
  }

  @Test
  void scanLargerThanOneMessageWindowStreamsAndClosingEarlyReleasesTheServer() {
    byte[] value = new byte[4096];
    Arrays.fill(value, (byte) 'x');
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ops.add(Op.put(b(String.format("key%05d", i)), value));
      if (ops.size() == 20) { // stay under the server's 130 KiB message limit
        client.batch(ops);
        ops.clear();
      }
    }

    // 8 MB in all, far beyond gRPC's 64 KiB flow-control window.
    try (KevoScan scan = client.scan(ScanSpec.ALL)) {
      for (int i = 0; i < 10; i++) {
        assertThat(s(scan.next().key())).isEqualTo(String.format("key%05d", i));
      }
      assertThat(scan.delivered()).isEqualTo(10);
      assertThat(ServerProbe.openScans(fx.server)).isEqualTo(1);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> ServerProbe.openScans(fx.server) == 0);

    long count = 0;
    try (KevoScan scan = client.scan(ScanSpec.ALL)) {
      while (scan.hasNext()) {
        assertThat(scan.next().value()).hasSize(4096);
        count++;
      }
      assertThat(scan.hasNext()).isFalse();
    }
    assertThat(count).isEqualTo(2_000);
  }

  @Test
  void statsAndNodeInfoDescribeTheNode() {
    client.put(b("a"), b("1"));
    client.put(b("b"), b("2"));
    client.get(b("a"));

    GetStatsResponse stats = client.stats();
    assertThat(stats.getKeyCount()).isEqualTo(2);
    assertThat(stats.getOperationCountsMap()).isNotEmpty();

    GetNodeInfoResponse info = client.nodeInfo();
    assertThat(info.getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.STANDALONE);
    assertThat(info.getLastSequence()).isGreaterThanOrEqualTo(2);
    assertThat(info.getVersion()).isNotEmpty();
  }

  @Test
  void compactKeepsTheData() {
    for (int i = 0; i < 100; i++) {
      client.put(b("k" + i), b("v" + i));
    }
    client.compact();

    assertThat(client.get(b("k42")).map(KevoClientTest::s)).contains("v42");
    assertThat(client.stats().getSstableCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void invalidArgumentCarriesCodeAndServerMessage() {
    assertThatThrownBy(() -> client.put(new byte[0], b("v")))
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.serverMessage()).isNotEmpty();
              assertThat(e.getMessage()).startsWith("INVALID_ARGUMENT: ");
              assertThat(e.isConflict()).isFalse();
            });
    assertThatThrownBy(() -> client.put(b("k"), new byte[ServerFixture.MAX_VALUE + 1]))
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void transactionCommitMakesWritesVisibleAtOnce() {
    client.put(b("old"), b("x"));
    try (ClientTransaction tx = client.beginTransaction(false)) {
      tx.put(b("a"), b("1"));
      tx.put(b("e"), new byte[0]);
      tx.delete(b("old"));

      assertThat(tx.get(b("a")).map(KevoClientTest::s)).contains("1");
      assertThat(tx.get(b("e"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
      assertThat(tx.get(b("old"))).isEmpty();
      assertThat(drain(tx.scan(ScanSpec.ALL))).containsExactly("a=1", "e=");
      assertThat(client.get(b("a"))).isEmpty(); // not yet

      tx.commit();
      assertThat(tx.state()).isEqualTo(ClientTransaction.State.COMMITTED);
    }
    assertThat(client.get(b("a")).map(KevoClientTest::s)).contains("1");
    assertThat(client.get(b("old"))).isEmpty();
    assertThat(ServerProbe.openTransactions(fx.server)).isZero();
  }

  @Test
  void rollbackAndCloseDiscardWrites() {
    ClientTransaction rolled = client.beginTransaction(false);
    rolled.put(b("a"), b("1"));
    rolled.rollback();
    assertThat(rolled.state()).isEqualTo(ClientTransaction.State.ROLLED_BACK);
    rolled.close(); // idempotent

    try (ClientTransaction tx = client.beginTransaction(false)) {
      tx.put(b("b"), b("2"));
    }

    assertThat(client.get(b("a"))).isEmpty();
    assertThat(client.get(b("b"))).isEmpty();
    assertThat(ServerProbe.openTransactions(fx.server)).isZero();
    assertThatThrownBy(() -> rolled.get(b("a"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readOnlyTransactionRefusesWritesAndSeesItsSnapshot() {
    client.put(b("a"), b("1"));
    try (ClientTransaction tx = client.beginTransaction(true)) {
      client.put(b("a"), b("2"));
      assertThat(tx.readOnly()).isTrue();
      assertThat(tx.get(b("a")).map(KevoClientTest::s)).contains("1");
      assertThatThrownBy(() -> tx.put(b("a"), b("3"))).isInstanceOf(KevoClientException.class);
    }
    assertThat(client.get(b("a")).map(KevoClientTest::s)).contains("2");
  }

  @Test
  void unknownTransactionIsNotFoundWithTheServersMessage() {
    ClientTransaction tx = client.beginTransaction(false);
    tx.commit();
    // The same id after the transaction ended, as a second handle would send it.
    ClientTransaction stale = new ClientTransaction(client, client.router().home(), tx.id(), false);

    assertThatThrownBy(() -> stale.get(b("a")))
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.serverMessage()).contains(tx.id());
            });
    assertThat(stale.state()).isEqualTo(ClientTransaction.State.FAILED);
    stale.close(); // nothing to roll back; throws nothing

    ClientTransaction invented =
        new ClientTransaction(client, client.router().home(), "no-such-tx", false);
    assertThatThrownBy(invented::commit)
        .isInstanceOfSatisfying(
            KevoClientException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void conflictingCommitIsAbortedAndEndsTheTransaction() {
    client.put(b("k"), b("0"));
    ClientTransaction first = client.beginTransaction(false);
    ClientTransaction second = client.beginTransaction(false);
    first.put(b("k"), b("first"));
    second.put(b("k"), b("second"));
    first.commit();

    assertThatThrownBy(second::commit)
        .isInstanceOfSatisfying(
            TransactionConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.ABORTED);
              assertThat(e.isConflict()).isTrue();
              assertThat(e.serverMessage()).isNotEmpty();
            });
    assertThat(second.state()).isEqualTo(ClientTransaction.State.FAILED);
    second.close();
    assertThat(client.get(b("k")).map(KevoClientTest::s)).contains("first");
    assertThat(ServerProbe.openTransactions(fx.server)).isZero();
  }

  @Test
  void closedClientFailsCallsAndClosesTwice() {
    client.close();
    client.close();

    assertThatThrownBy(() -> client.get(b("a")))
        .isInstanceOfSatisfying(
            KevoClientException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
