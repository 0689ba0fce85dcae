package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM of real {@code kevo server} processes: a node with no call in flight exits at once,
 * whatever streams are open on it (a replica's {@code StreamWAL}, a load balancer's health {@code
 * Watch}), instead of waiting out the 10-second grace; a call in flight still gets that grace.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ShutdownIT {
  /**
   * Far below the 10-second grace that the bug made every node wait, with room for a JVM's exit on
   * a busy build machine (an idle node here stops in about half a second).
   */
  private static final Duration PROMPT = Duration.ofSeconds(3);

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);
  private static final List<String> INFO = List.of("-Dkevo.log.level=INFO");

  @TempDir Path tmp;

  @Test
  void nodesWithNoCallInFlightExitPromptlyAndThePrimarysLastWriteReachesItsReplica()
      throws Exception {
    try (ReplicationCluster cluster = new ReplicationCluster(tmp)) {
      ReplicationCluster.Node primary = cluster.startPrimary("primary", INFO);
      ReplicationCluster.Node replica = cluster.startReplica("replica", primary.address(), INFO);
      ReplicationCluster.Node standalone = cluster.startStandalone("standalone", INFO);
      // Each node is watched as a load balancer (or gRPC's client-side health checking) would.
      Watch onPrimary = Watch.open(primary);
      Watch onReplica = Watch.open(replica);
      Watch onStandalone = Watch.open(standalone);
      put(standalone, "k", "v");
      put(primary, "k", "v");
      await()
          .atMost(CONVERGENCE)
          .until(() -> primary.primaryFigure(PrimarySide::connectedReplicas) == 1);
      cluster.awaitConverged(CONVERGENCE, primary, replica);
      for (Watch w : List.of(onPrimary, onReplica, onStandalone)) {
        await().atMost(CONVERGENCE).until(() -> w.statuses.contains(ServingStatus.SERVING));
      }

      assertExitsPromptly(standalone);
      // Written just before SIGTERM: the primary ends its replica's stream only after sending it.
      long last = put(primary, "last", "write");
      assertExitsPromptly(primary);
      await("the primary's last write on its replica")
          .atMost(GRACE)
          .until(() -> replica.get(b("last").toByteArray()).isPresent());
      assertThat(replica.lastSequence()).isEqualTo(last);
      assertExitsPromptly(replica);

      for (Watch w : List.of(onPrimary, onReplica, onStandalone)) {
        Status end = w.end.get(10, TimeUnit.SECONDS);
        assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(w.statuses).endsWith(ServingStatus.NOT_SERVING);
      }
    }
  }

  @Test
  void aSlowCallInFlightAtSigtermStillCompletesWithinTheGrace() throws Exception {
    try (ReplicationCluster cluster = new ReplicationCluster(tmp)) {
      ReplicationCluster.Node primary = cluster.startPrimary("primary", INFO);
      ReplicationCluster.Node replica =
          cluster.startReplica("replica", primary.address(), INFO, "--read-wait-timeout", "9s");
      put(primary, "before", "x");
      await()
          .atMost(CONVERGENCE)
          .until(() -> primary.primaryFigure(PrimarySide::connectedReplicas) == 1);
      cluster.awaitConverged(CONVERGENCE, primary, replica);

      // A read on the replica of a write the primary has not made yet: it waits for it.
      long next = primary.lastSequence() + 1;
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("kevo-min-sequence", Metadata.ASCII_STRING_MARSHALLER),
          Long.toString(next));
      ListenableFuture<GetResponse> read =
          KevoServiceGrpc.newFutureStub(replica.channel())
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .get(GetRequest.newBuilder().setKey(b("slow")).build());
      await()
          .atMost(CONVERGENCE)
          .until(() -> replica.replicaFigure(ReplicaSide::readWaitsPending) == 1);

      long sent = System.nanoTime();
      replica.process().sigterm();
      // The replica is shutting down once it refuses new calls...
      await()
          .atMost(GRACE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> code(replica) == Status.Code.UNAVAILABLE);
      assertThat(read.isDone()).as("the read in flight still waits").isFalse();
      // ...yet its read in flight goes on, and replication with it: the write releases the read.
      assertThat(put(primary, "slow", "answer")).isEqualTo(next);
      GetResponse r = read.get(GRACE.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.getFound()).isTrue();
      assertThat(r.getValue().toStringUtf8()).isEqualTo("answer");

      assertThat(replica.process().awaitExit()).as("exit status").isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(GRACE);
      assertThat(replica.process().logText()).doesNotContain("cancelling them");
    }
  }

  private static void assertExitsPromptly(ReplicationCluster.Node node) throws Exception {
    long t0 = System.nanoTime();
    int status = node.process().terminate();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    String log = node.process().logText();
    assertThat(status).as("exit status of %s; log:%n%s", node, log).isZero();
    assertThat(took).as("SIGTERM to exit of %s; log:%n%s", node, log).isLessThan(PROMPT);
    assertThat(log).as("log of %s", node).doesNotContain("cancelling them");
  }

  /** Puts on {@code node} and returns the write's sequence (its last sequence right after). */
  private static long put(ReplicationCluster.Node node, String key, String value) {
    node.stub()
        .put(PutRequest.newBuilder().setKey(b(key)).setValue(b(value)).setSync(true).build());
    return node.lastSequence();
  }

  /** The status of a GetNodeInfo on {@code node} now. */
  private static Status.Code code(ReplicationCluster.Node node) {
    try {
      node.info();
      return Status.Code.OK;
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** A health Watch of the node's overall status, recording what it hears. */
  private static final class Watch implements StreamObserver<HealthCheckResponse> {
    final List<ServingStatus> statuses = new CopyOnWriteArrayList<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    static Watch open(ReplicationCluster.Node node) {
      Watch w = new Watch();
      HealthGrpc.newStub(node.channel()).watch(HealthCheckRequest.getDefaultInstance(), w);
      return w;
    }

    @Override
    public void onNext(HealthCheckResponse r) {
      statuses.add(r.getStatus());
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }
}
