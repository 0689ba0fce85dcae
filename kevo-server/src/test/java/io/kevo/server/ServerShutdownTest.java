package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link KevoServer#close} does with streams that never end on their own. */
class ServerShutdownTest {
  @TempDir Path dir;

  @Test
  void closeEndsAHealthWatchInsteadOfWaitingOutTheGrace() throws Exception {
    Duration grace = Duration.ofSeconds(10);
    ServerFixture f = new ServerFixture(dir, ServerOptions.builder().shutdownGrace(grace).build());
    List<ServingStatus> heard = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    HealthGrpc.newStub(f.channel)
        .watch(
            HealthCheckRequest.getDefaultInstance(),
            new StreamObserver<HealthCheckResponse>() {
              @Override
              public void onNext(HealthCheckResponse r) {
                heard.add(r.getStatus());
              }

              @Override
              public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                end.complete(Status.OK);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains(ServingStatus.SERVING));

    long t0 = System.nanoTime();
    f.server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(end.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(heard).containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING);
    f.close();
  }
}
