package io.kevo.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BatchWriteResponse;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.BeginTransactionResponse;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.CommitTransactionResponse;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.DeleteResponse;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.GetStatsRequest;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.proto.PutResponse;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tiny fake server whose calls fail with UNAVAILABLE a set number of times before succeeding (or
 * never answer): checks that exactly the calls safe to redo are retried, and that deadlines hold.
 */
class RetryAndDeadlineTest {
  /** Fails each method's first {@link #failures} calls with UNAVAILABLE; counts every call. */
  static final class FlakyService extends KevoServiceGrpc.KevoServiceImplBase {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile int failures = 1;
    volatile boolean hangGets;

    int calls(String method) {
      return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    /** Counts the call; true if it was answered with UNAVAILABLE. */
    private boolean failed(String method, StreamObserver<?> out) {
      int n = calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
      if (n <= failures) {
        out.onError(Status.UNAVAILABLE.withDescription("flaky " + method).asRuntimeException());
        return true;
      }
      return false;
    }

    private static <T> void answer(StreamObserver<T> out, T value) {
      out.onNext(value);
      out.onCompleted();
    }

    @Override
    public void get(GetRequest req, StreamObserver<GetResponse> out) {
      if (hangGets) {
        calls.computeIfAbsent("get", m -> new AtomicInteger()).incrementAndGet();
        return; // never answers: the client's deadline must end the call
      }
      if (!failed("get", out)) {
        answer(out, GetResponse.newBuilder().setFound(true).setValue(req.getKey()).build());
      }
    }

    @Override
    public void put(PutRequest req, StreamObserver<PutResponse> out) {
      if (!failed("put", out)) {
        answer(out, PutResponse.newBuilder().setSuccess(true).build());
      }
    }

    @Override
    public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
      if (!failed("delete", out)) {
        answer(out, DeleteResponse.newBuilder().setSuccess(true).build());
      }
    }

    @Override
    public void batchWrite(BatchWriteRequest req, StreamObserver<BatchWriteResponse> out) {
      if (!failed("batch", out)) {
        answer(out, BatchWriteResponse.newBuilder().setSuccess(true).build());
      }
    }

    @Override
    public void scan(ScanRequest req, StreamObserver<ScanResponse> out) {
      if (!failed("scan", out)) {
        out.onNext(ScanResponse.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
        out.onCompleted();
      }
    }

    @Override
    public void getStats(GetStatsRequest req, StreamObserver<GetStatsResponse> out) {
      if (!failed("stats", out)) {
        answer(out, GetStatsResponse.newBuilder().setKeyCount(7).build());
      }
    }

    @Override
    public void getNodeInfo(GetNodeInfoRequest req, StreamObserver<GetNodeInfoResponse> out) {
      if (!failed("nodeInfo", out)) {
        answer(out, GetNodeInfoResponse.newBuilder().setVersion("fake").build());
      }
    }

    @Override
    public void beginTransaction(
        BeginTransactionRequest req, StreamObserver<BeginTransactionResponse> out) {
      if (!failed("begin", out)) {
        answer(out, BeginTransactionResponse.newBuilder().setTransactionId("tx-1").build());
      }
    }

    @Override
    public void commitTransaction(
        CommitTransactionRequest req, StreamObserver<CommitTransactionResponse> out) {
      if (!failed("commit", out)) {
        answer(out, CommitTransactionResponse.newBuilder().setSuccess(true).build());
      }
    }
  }

  private final FlakyService service = new FlakyService();
  private Server server;

  @BeforeEach
  void start() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private KevoClient client(ClientOptions.Builder options) {
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    return KevoClient.connect(
        options
            .endpoint("127.0.0.1:" + port)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .build());
  }

  private KevoClient client() {
    return client(ClientOptions.builder());
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void callsSafeToRedoAreRetriedOnUnavailable() {
    try (KevoClient client = client()) {
      assertThat(client.get(b("k"))).isPresent();
      client.put(b("k"), b("v"));
      client.delete(b("k"));
      client.batch(List.of(Op.put(b("k"), b("v"))));
      assertThat(client.stats().getKeyCount()).isEqualTo(7);
      assertThat(client.nodeInfo().getVersion()).isEqualTo("fake");
      try (KevoScan scan = client.scan(ScanSpec.ALL)) {
        assertThat(scan.next().key()).isEqualTo(b("k"));
        assertThat(scan.hasNext()).isFalse();
      }
    }
    for (String m : List.of("get", "put", "delete", "batch", "stats", "nodeInfo", "scan")) {
      assertThat(service.calls(m)).as(m).isEqualTo(2);
    }
  }

  @Test
  void asyncCallsAreRetriedToo() {
    try (KevoClient client = client()) {
      assertThat(client.getAsync(b("k")).join()).isPresent();
      client.putAsync(b("k"), b("v"), true).join();
      client.deleteAsync(b("k"), false).join();
      client.batchAsync(List.of(Op.delete(b("k"))), false).join();
    }
    for (String m : List.of("get", "put", "delete", "batch")) {
      assertThat(service.calls(m)).as(m).isEqualTo(2);
    }
  }

  @Test
  void transactionCallsAreNeverRetried() {
    try (KevoClient client = client()) {
      assertThatThrownBy(() -> client.beginTransaction(false))
          .isInstanceOfSatisfying(
              KevoClientException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.serverMessage()).isEqualTo("flaky begin");
              });
      assertThat(service.calls("begin")).isEqualTo(1);

      ClientTransaction tx = client.beginTransaction(false);
      assertThatThrownBy(tx::commit).isInstanceOf(KevoClientException.class);
      assertThat(service.calls("commit")).isEqualTo(1);
      assertThat(tx.state()).isEqualTo(ClientTransaction.State.OPEN); // outcome unknown
    }
  }

  @Test
  void writesAreNotRetriedWhenRetryWritesIsOff() {
    service.failures = 2;
    try (KevoClient client = client(ClientOptions.builder().retryWrites(false))) {
      assertThatThrownBy(() -> client.put(b("k"), b("v"))).isInstanceOf(KevoClientException.class);
      assertThatThrownBy(() -> client.putAsync(b("k"), b("v"), false).join())
          .hasCauseInstanceOf(KevoClientException.class);
      assertThat(client.get(b("k"))).isPresent();
    }
    assertThat(service.calls("put")).isEqualTo(2); // one blocking, one async, no retry
    assertThat(service.calls("get")).isEqualTo(3); // reads are still retried
  }

  @Test
  void givesUpAfterMaxAttempts() {
    service.failures = 100;
    try (KevoClient client = client(ClientOptions.builder().maxAttempts(4))) {
      assertThatThrownBy(() -> client.get(b("k")))
          .isInstanceOfSatisfying(
              KevoClientException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThatThrownBy(() -> client.getAsync(b("k")).join())
          .hasCauseInstanceOf(KevoClientException.class);
    }
    assertThat(service.calls("get")).isEqualTo(8);
  }

  @Test
  void deadlineEndsAHungCallWithoutRetry() {
    service.hangGets = true;
    try (KevoClient client = client(ClientOptions.builder().deadline(Duration.ofMillis(200)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.get(b("k")))
          .isInstanceOfSatisfying(
              KevoClientException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThatThrownBy(() -> client.getAsync(b("k")).join())
          .cause()
          .isInstanceOfSatisfying(
              KevoClientException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }
    assertThat(service.calls("get")).isEqualTo(2);
  }

  @Test
  void unreachableServerIsUnavailable() throws InterruptedException {
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    stop();
    try (KevoClient client =
        KevoClient.connect(
            ClientOptions.builder()
                .endpoint("127.0.0.1:" + port)
                .maxAttempts(2)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .build())) {
      assertThatThrownBy(client::nodeInfo)
          .isInstanceOfSatisfying(
              KevoClientException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> ClientOptions.builder().endpoint("nohost").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> ClientOptions.builder().endpoint("h:0").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientOptions.builder().endpoints(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientOptions.builder().maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientOptions.builder().deadline(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ClientOptions.parseEndpoint("[::1]:50051"))
        .isEqualTo(new ClientOptions.HostPort("::1", 50051));
    ClientOptions o = ClientOptions.DEFAULT.toBuilder().maxAttempts(1).build();
    assertThat(o.maxAttempts()).isEqualTo(1);
    assertThat(ClientOptions.DEFAULT.maxAttempts()).isEqualTo(3);
    assertThat(ClientOptions.DEFAULT.deadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ClientOptions.DEFAULT.endpoints()).containsExactly("127.0.0.1:50051");
  }
}
