package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.client.ClientTransaction;
import io.kevo.client.KevoClient;
import io.kevo.client.Op;
import io.kevo.client.TransactionConflictException;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.PutRequest;
import io.kevo.proto.ReplicaInfo;
import io.kevo.wire.ReplicaLink;
import io.kevo.wire.ReplicaSide;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary and two replicas as processes: a concurrent mixed workload through the primary ends
 * with the same contents and last sequence on every node; a replica refuses writes and names its
 * primary, which a client seeded only with the replica follows. The checks share one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplicationConvergenceIT {
  private static final int WRITERS = 8;
  private static final int OPERATIONS = 100_000;
  private static final int KEYS = 5_000;
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);

  @TempDir static Path tmp;

  private ReplicationCluster cluster;
  private ReplicationCluster.Node primary;
  private ReplicationCluster.Node replica1;
  private ReplicationCluster.Node replica2;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = new ReplicationCluster(tmp);
    primary = cluster.startPrimary("primary");
    replica1 = cluster.startReplica("replica1", primary.address());
    replica2 = cluster.startReplica("replica2", primary.address());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void eightWritersMixedWorkloadLeavesEveryNodeWithTheSameContentsAndSequence() throws Exception {
    AtomicLong conflicts = new AtomicLong();
    long started = System.nanoTime();
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    try (KevoClient client = primary.client()) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        done.add(
            writers.submit(
                () ->
                    writeMix(client, new Random(1_000 + writer), OPERATIONS / WRITERS, conflicts)));
      }
      for (Future<?> f : done) {
        f.get(150, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
      assertThat(writers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    long wrote = System.nanoTime();

    long last = cluster.awaitConverged(CONVERGENCE, primary, replica1, replica2);
    long converged = System.nanoTime();
    System.out.printf(
        "convergence: %d operations by %d writers in %d ms (%d transaction conflicts), last"
            + " sequence %d, replicas converged %d ms after the writes, %d pairs%n",
        OPERATIONS,
        WRITERS,
        TimeUnit.NANOSECONDS.toMillis(wrote - started),
        conflicts.get(),
        last,
        TimeUnit.NANOSECONDS.toMillis(converged - wrote),
        primary.contentDigest().pairs());
    assertThat(last)
        .as("at least one sequence per operation")
        .isGreaterThanOrEqualTo(OPERATIONS / 2);
    assertThat(primary.contentDigest().pairs()).isPositive();

    // The primary's view of its replicas agrees: both acknowledged everything.
    GetNodeInfoResponse info = primary.info();
    assertThat(info.getReplicasList())
        .extracting(ReplicaInfo::getAddress)
        .containsExactlyInAnyOrder(replica1.address(), replica2.address());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(primary.info().getReplicasList())
                    .allSatisfy(
                        r -> {
                          assertThat(r.getLastSequence()).isEqualTo(last);
                          assertThat(r.getAvailable()).isTrue();
                          assertThat(ReplicaLink.of(r).lagEntries()).hasValue(0);
                        }));
    for (ReplicationCluster.Node r : List.of(replica1, replica2)) {
      ReplicaSide figures = r.status().replica().orElseThrow();
      assertThat(figures.appliedSequence()).hasValue(last);
      assertThat(figures.checksumFailures()).hasValue(0);
      assertThat(figures.needsBootstrap()).hasValue(false);
    }
  }

  @Test
  void aReplicaRefusesWritesNamingThePrimaryAndAClientSeededWithItFollows() {
    StatusRuntimeException refused =
        catchThrowableOfType(
            () ->
                replica1
                    .stub()
                    .put(
                        PutRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8("direct"))
                            .setValue(ByteString.copyFromUtf8("refused"))
                            .build()),
            StatusRuntimeException.class);
    assertThat(refused).as("a put sent to a replica").isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    Metadata trailers = Status.trailersFromThrowable(refused);
    assertThat(trailers).isNotNull();
    assertThat(trailers.get(Metadata.Key.of("kevo-primary", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo(primary.address());
    assertThat(replica1.get(b("direct"))).isEmpty();

    try (KevoClient viaReplica = KevoClient.connect(replica2.address())) {
      viaReplica.put(b("redirected"), b("arrived"));
      viaReplica.batch(List.of(Op.put(b("redirected:batch"), b("too"))));
    }
    assertThat(primary.get(b("redirected"))).map(ReplicationConvergenceIT::s).contains("arrived");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(replica1.get(b("redirected")))
                  .map(ReplicationConvergenceIT::s)
                  .contains("arrived");
              assertThat(replica2.get(b("redirected:batch")))
                  .map(ReplicationConvergenceIT::s)
                  .contains("too");
            });
  }

  /** {@code count} operations: puts, deletes, batches and read-write transactions, at random. */
  private static void writeMix(KevoClient client, Random random, int count, AtomicLong conflicts) {
    for (int i = 0; i < count; i++) {
      int dice = random.nextInt(100);
      if (dice < 55) {
        client.put(key(random), value(random));
      } else if (dice < 75) {
        client.delete(key(random));
      } else if (dice < 97) {
        List<Op> ops = new ArrayList<>();
        int n = 2 + random.nextInt(5);
        for (int j = 0; j < n; j++) {
          ops.add(
              random.nextInt(4) == 0 ? Op.delete(key(random)) : Op.put(key(random), value(random)));
        }
        client.batch(ops);
      } else {
        try (ClientTransaction tx = client.beginTransaction(false)) {
          tx.put(key(random), value(random));
          tx.put(key(random), value(random));
          tx.delete(key(random));
          tx.commit();
        } catch (TransactionConflictException e) {
          conflicts.incrementAndGet();
        }
      }
    }
  }

  private static byte[] key(Random random) {
    return b(String.format("key%05d", random.nextInt(KEYS)));
  }

  private static byte[] value(Random random) {
    byte[] v = new byte[random.nextInt(200)];
    random.nextBytes(v);
    return v;
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, UTF_8);
  }
}
