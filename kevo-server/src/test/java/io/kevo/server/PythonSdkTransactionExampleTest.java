package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kevo.engine.TransactionMode;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.KevoServiceGrpc.KevoServiceBlockingStub;
import io.kevo.proto.PutRequest;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxGetResponse;
import io.kevo.proto.TxPutRequest;
import io.kevo.wire.WireMetadata;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kevo's Python SDK concurrent-transaction example, replayed over the wire as that SDK would send
 * it: plain generated stubs, two clients on two connections, each running a read-write transaction
 * that reads {@code counter} and writes it plus one. Kevo's Go server serialises the two and the
 * counter ends at 2; so does ours with pessimistic transactions (the server's default here, or
 * {@code kevo-tx-mode} per transaction), while optimistic ones abort the later committer.
 */
class PythonSdkTransactionExampleTest extends LocalNodesFixture {
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static KevoServiceBlockingStub stub(ManagedChannel ch) {
    return KevoServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static String begin(KevoServiceBlockingStub client) {
    return client.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
  }

  private static int readCounter(KevoServiceBlockingStub client, String tx) {
    TxGetResponse r =
        client.txGet(TxGetRequest.newBuilder().setTransactionId(tx).setKey(b("counter")).build());
    return r.getFound() ? Integer.parseInt(r.getValue().toStringUtf8()) : 0;
  }

  private static void writeCounter(KevoServiceBlockingStub client, String tx, int value) {
    client.txPut(
        TxPutRequest.newBuilder()
            .setTransactionId(tx)
            .setKey(b("counter"))
            .setValue(b(Integer.toString(value)))
            .build());
  }

  private static void commit(KevoServiceBlockingStub client, String tx) {
    client.commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(tx).build());
  }

  private static String counter(KevoServiceBlockingStub client) {
    return client
        .get(GetRequest.newBuilder().setKey(b("counter")).build())
        .getValue()
        .toStringUtf8();
  }

  /** Both transactions begin before either commits; the second reads while the first holds on. */
  private String runExample(KevoServiceBlockingStub client1, KevoServiceBlockingStub client2)
      throws Exception {
    client1.put(PutRequest.newBuilder().setKey(b("counter")).setValue(b("0")).build());
    String tx1 = begin(client1);
    String tx2 = begin(client2);
    int seen1 = readCounter(client1, tx1);
    Future<Integer> seen2 = pool.submit(() -> readCounter(client2, tx2));
    writeCounter(client1, tx1, seen1 + 1);
    commit(client1, tx1);
    int value2 = seen2.get(30, TimeUnit.SECONDS);
    writeCounter(client2, tx2, value2 + 1);
    commit(client2, tx2);
    return counter(client1);
  }

  @Test
  void withPessimisticTransactionsByDefaultBothCommitAndTheCounterEndsAtTwo() throws Exception {
    KevoServer server =
        node("pessimistic", ServerOptions.builder().transactionMode(TransactionMode.PESSIMISTIC));
    assertThat(runExample(stub(channel(server)), stub(channel(server)))).isEqualTo("2");
  }

  @Test
  void withOptimisticTransactionsTheSecondCommitIsAbortedAsAConflict() {
    KevoServer server = node("optimistic", ServerOptions.builder());
    assertThatThrownBy(() -> runExample(stub(channel(server)), stub(channel(server))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
              assertThat(e.getTrailers().get(WireMetadata.TX_ABORT)).isEqualTo("conflict");
            });
    assertThat(counter(stub(channel(server)))).isEqualTo("1");
  }

  @Test
  void aClientAsksForPessimisticPerTransactionWithTheMetadataKey() throws Exception {
    KevoServer server = node("per-transaction", ServerOptions.builder());
    Metadata headers = new Metadata();
    headers.put(WireMetadata.TX_MODE, "pessimistic");
    KevoServiceBlockingStub client1 =
        stub(channel(server)).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    KevoServiceBlockingStub client2 =
        stub(channel(server)).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    assertThat(runExample(client1, client2)).isEqualTo("2");
  }
}
