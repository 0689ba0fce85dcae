package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.kevo.engine.KevoDB;
import io.kevo.engine.WriteBatch;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans under flow control and cancellation, and the health and reflection services. */
class ScanStreamingTest {
  private static final int VALUE_BYTES = 1024;
  @TempDir Path dir;

  private static void fill(KevoDB db, int n) {
    WriteBatch batch = new WriteBatch();
    byte[] value = new byte[VALUE_BYTES];
    for (int i = 0; i < n; i++) {
      batch.put(String.format("key%06d", i).getBytes(StandardCharsets.UTF_8), value);
    }
    db.write(batch);
  }

  /** A client that takes one message at a time, when told. */
  private static final class SlowReader
      implements ClientResponseObserver<ScanRequest, ScanResponse> {
    final List<String> keys = new ArrayList<>();
    final AtomicInteger received = new AtomicInteger();
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile ClientCallStreamObserver<ScanRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<ScanRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(ScanResponse value) {
      synchronized (keys) {
        keys.add(value.getKey().toStringUtf8());
      }
      received.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }
  }

  @Test
  void slowClientHoldsBackTheScanInProcess() throws Exception {
    try (ServerFixture f = new ServerFixture(dir)) {
      fill(f.server.db(), 2_000);
      SlowReader reader = new SlowReader();
      f.async.scan(ScanRequest.getDefaultInstance(), reader);
      await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.get() == 1);
      // The server produces only what the client asked for, not the whole result, and keeps the
      // scan open meanwhile.
      long perPair = 9 + VALUE_BYTES;
      await()
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(2))
          .until(() -> f.server.bytesRead() <= 2 * perPair && f.server.openScans() == 1);
      for (int i = 1; i < 2_000; i += 100) {
        reader.call.request(100);
        int expected = Math.min(2_000, i + 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.get() >= expected);
        assertThat(f.server.bytesRead()).isLessThanOrEqualTo((expected + 1) * perPair);
      }
      reader.call.request(1);
      assertThat(reader.done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(reader.error.get()).isNull();
      assertThat(reader.keys).hasSize(2_000).isSorted();
      assertThat(f.server.openScans()).isZero();
    }
  }

  @Test
  void scanLargerThanTheFlowControlWindowStreamsOverNetty() throws Exception {
    KevoDB db = KevoDB.open(dir);
    fill(db, 3_000); // ~3 MB: many 64 KiB HTTP/2 windows
    try (KevoServer server =
        KevoServer.start(db, ServerOptions.builder().listen("127.0.0.1", 0).build())) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.port())
              .usePlaintext()
              .flowControlWindow(64 * 1024) // fixed window: no BDP auto-tuning
              .build();
      try {
        SlowReader reader = new SlowReader();
        KevoServiceGrpc.newStub(channel).scan(ScanRequest.getDefaultInstance(), reader);
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.get() == 1);
        // Blocked on the client: at most a window (64 KiB) plus the server's ready threshold and
        // Netty's buffers are in flight, far from the 3 MB result.
        await()
            .during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(2))
            .until(() -> server.bytesRead() < 512 * 1024L);
        while (reader.done.getCount() > 0) {
          reader.call.request(50);
          Thread.sleep(1);
        }
        assertThat(reader.error.get()).isNull();
        assertThat(reader.keys).hasSize(3_000).isSorted();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openScans() == 0);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void clientCancellingMidwayClosesTheServerIterator() throws Exception {
    try (ServerFixture f = new ServerFixture(dir)) {
      fill(f.server.db(), 1_000);
      SlowReader reader = new SlowReader();
      f.async.scan(ScanRequest.getDefaultInstance(), reader);
      reader.call.request(9);
      await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.get() == 10);
      assertThat(f.server.openScans()).isEqualTo(1);
      reader.call.cancel("client gave up", null);
      await().atMost(Duration.ofSeconds(10)).until(() -> f.server.openScans() == 0);
      assertThat(reader.done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(reader.received.get()).isLessThan(1_000);
    }
  }

  @Test
  void healthAndReflectionAreRegistered() throws Exception {
    try (ServerFixture f = new ServerFixture(dir)) {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(f.channel)
              .check(HealthCheckRequest.newBuilder().setService("kevo.KevoService").build());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(
              HealthGrpc.newBlockingStub(f.channel)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      List<String> services = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      StreamObserver<ServerReflectionRequest> requests =
          ServerReflectionGrpc.newStub(f.channel)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                      r.getListServicesResponse()
                          .getServiceList()
                          .forEach(s -> services.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                      done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                      done.countDown();
                    }
                  });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      requests.onCompleted();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(services).contains("kevo.KevoService", "grpc.health.v1.Health");
      // Every node serves replication (refused unless it is a primary) and its administration.
      assertThat(services)
          .contains("kevo.replication.WALReplicationService", "kevo.replication.ReplicationAdmin");
    }
  }

  static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
