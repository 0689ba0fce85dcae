package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kevo.cli.DistributionProcess;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.PutRequest;
import io.kevo.testkit.TcpProxy;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover across real processes, driven by the real {@code kevo promote} and {@code kevo repoint}
 * commands: a replica promoted after the primary's crash, the other repointed, the old primary
 * rejoining as a replica of the new one and discarding (and recording) the writes only it had; and
 * a stale primary, restarted with its old flags, fenced by a replica that has seen the new epoch.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplicationFailoverIT extends ClusterFixture {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);

  /** Well over one refusal and one retry at the replica's maximum backoff (10 s). */
  private static final Duration REFUSAL = Duration.ofSeconds(30);

  private static final Metadata.Key<String> ACK =
      Metadata.Key.of("kevo-ack", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> ACK_REPLICAS =
      Metadata.Key.of("kevo-ack-replicas", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> EPOCH =
      Metadata.Key.of("kevo-epoch", Metadata.ASCII_STRING_MARSHALLER);

  /** The replica's state transition at each refused attempt to follow the stale primary. */
  private static final String STALE_REFUSAL =
      "→ ERROR (the primary refused this replica: this primary is stale";

  private static final Pattern PROMOTED =
      Pattern.compile("promoted: epoch (\\d+) \\(term (\\S+), from sequence (\\d+)\\)");

  @Test
  void promotedReplicaBecomesThePrimaryAndTheOldPrimaryRejoinsDiscardingWhatOnlyItHad()
      throws Exception {
    Phases phases = new Phases();
    ReplicationCluster.Node p = cluster.startPrimary("p");
    TcpProxy toP1 = cluster.proxyTo(p);
    TcpProxy toP2 = cluster.proxyTo(p);
    ReplicationCluster.Node r1 = cluster.startReplica("r1", toP1.address());
    ReplicationCluster.Node r2 = cluster.startReplica("r2", toP2.address());
    await().atMost(CONVERGENCE).until(() -> p.primaryFigure(PrimarySide::connectedReplicas) == 2);

    // Acknowledged at level replica: each on at least one replica when the call returned.
    Map<String, String> acknowledged = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      String key = String.format("acked:%03d", i);
      Metadata trailers = put(p, "replica:1", key, "v" + i);
      assertThat(Integer.parseInt(trailers.get(ACK_REPLICAS)))
          .as("replicas that confirmed %s", key)
          .isGreaterThanOrEqualTo(1);
      assertThat(trailers.get(EPOCH)).isEqualTo("1");
      acknowledged.put(key, "v" + i);
    }
    phases.mark("acked");
    long acknowledgedLast = p.lastSequence();
    await()
        .atMost(CONVERGENCE)
        .until(
            () ->
                r1.replicaFigure(ReplicaSide::appliedSequence) == acknowledgedLast
                    && r2.replicaFigure(ReplicaSide::appliedSequence) == acknowledgedLast);

    // Cut off from both replicas, the primary takes writes only it will ever have, then dies.
    toP1.cutOff();
    toP2.cutOff();
    Map<String, String> onlyOnP = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      String key = "ponly:" + i;
      put(p, "async", key, "lost" + i);
      onlyOnP.put(key, "lost" + i);
    }
    long pLast = p.lastSequence();
    assertThat(pLast).isEqualTo(acknowledgedLast + onlyOnP.size());
    assertThat(p.scanPrefix("ponly:")).hasSize(onlyOnP.size());
    p.kill();
    phases.mark("killed");
    for (ReplicationCluster.Node r : List.of(r1, r2)) {
      assertThat(r.scanPrefix("ponly:")).as("P-only keys on %s", r.name).isEmpty();
      assertThat(r.lastSequence()).isEqualTo(acknowledgedLast);
    }

    DistributionProcess.ShellRun promote = cluster.kevo("promote", r1.address());
    assertThat(promote.status()).as("kevo promote exit status; stderr: %s", promote.err()).isZero();
    Matcher m = PROMOTED.matcher(promote.out().strip());
    assertThat(m.matches()).as("kevo promote printed: %s", promote.out()).isTrue();
    assertThat(m.group(1)).isEqualTo("2");
    assertThat(Long.parseLong(m.group(3))).isEqualTo(acknowledgedLast + 1);
    String newTerm = m.group(2);
    phases.mark("promoted");

    DistributionProcess.ShellRun repoint =
        cluster.kevo("repoint", r2.address(), "--primary", r1.address());
    assertThat(repoint.status()).as("kevo repoint exit status; stderr: %s", repoint.err()).isZero();
    assertThat(repoint.out()).contains("following " + r1.address());
    phases.mark("repointed");

    // More writes on the new primary, confirmed by the repointed replica.
    await().atMost(CONVERGENCE).until(() -> r1.primaryFigure(PrimarySide::connectedReplicas) == 1);
    for (int i = 0; i < 100; i++) {
      String key = String.format("after:%03d", i);
      Metadata trailers = put(r1, "replica:1", key, "r1-" + i);
      assertThat(trailers.get(EPOCH)).isEqualTo("2");
      acknowledged.put(key, "r1-" + i);
    }

    // The old primary comes back, on its own directory and port, as a replica of the new one.
    phases.mark("written");
    p.restartAsReplicaOf(r1.address());
    phases.mark("restarted");
    long last = cluster.awaitConverged(CONVERGENCE, r1, r2, p);
    phases.mark("converged");
    assertThat(last).isEqualTo(acknowledgedLast + 100);

    for (ReplicationCluster.Node n : List.of(r1, r2, p)) {
      Map<String, ByteString> acked = n.scanPrefix("acked:");
      acked.putAll(n.scanPrefix("after:"));
      assertThat(acked).as("acknowledged writes on %s", n.name).hasSize(acknowledged.size());
      acknowledged.forEach(
          (k, v) -> assertThat(acked.get(k)).as("%s on %s", k, n.name).isEqualTo(bs(v)));
      assertThat(n.scanPrefix("ponly:")).as("P-only keys on %s", n.name).isEmpty();
      ReplicationStatus.Epoch epoch = n.status().epoch().orElseThrow();
      assertThat(epoch.number()).as("epoch of %s", n.name).isEqualTo(2);
      assertThat(epoch.termId()).hasValue(newTerm);
      assertThat(epoch.startSequence()).hasValue(acknowledgedLast + 1);
    }
    GetNodeInfoResponse r1Info = r1.info();
    assertThat(r1Info.getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.PRIMARY);
    assertThat(ReplicationStatus.of(r1Info).superseded()).isEmpty();
    for (ReplicationCluster.Node r : List.of(r2, p)) {
      GetNodeInfoResponse info = r.info();
      assertThat(info.getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.REPLICA);
      assertThat(info.getPrimaryAddress()).isEqualTo(r1.address());
    }

    // P says what it discarded, and where it recorded it.
    long from = acknowledgedLast + 1;
    assertThat(p.logLinesContaining("discarding " + onlyOnP.size() + " entries " + from + ".."))
        .as("P's log:\n%s", p.process().logText())
        .hasSize(1)
        .allSatisfy(l -> assertThat(l).contains(from + ".." + pLast));
    long seq = from;
    for (String key : onlyOnP.keySet()) {
      assertThat(p.logLinesContaining("discarded " + seq + " PUT key=" + key + " "))
          .as("the discard of %s logged", key)
          .hasSize(1);
      seq++;
    }
    Path discarded = p.data.resolve("replication").resolve("discarded");
    List<Path> files;
    try (Stream<Path> s = Files.list(discarded)) {
      files = s.toList();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString())
        .matches("\\d+-" + from + "-" + pLast + ".txt");
    List<String> lines = Files.readAllLines(files.get(0), UTF_8);
    List<String> expected = new ArrayList<>();
    seq = from;
    for (Map.Entry<String, String> e : onlyOnP.entrySet()) {
      expected.add(seq++ + " PUT " + e.getKey() + " " + e.getValue());
    }
    assertThat(lines).containsExactlyElementsOf(expected);

    System.out.printf(
        "failover: %d writes acknowledged, %d P-only discarded at %d..%d, converged at %d; %s%n",
        acknowledged.size(), onlyOnP.size(), from, pLast, last, phases);
  }

  @Test
  void staleOldPrimaryIsRefusedByAReplicaThatSawTheNewEpochAndThenRefusesWrites() throws Exception {
    Phases phases = new Phases();
    ReplicationCluster.Node p = cluster.startPrimary("p");
    ReplicationCluster.Node r1 = cluster.startReplica("r1", p.address());
    ReplicationCluster.Node r2 = cluster.startReplica("r2", p.address());
    await().atMost(CONVERGENCE).until(() -> p.primaryFigure(PrimarySide::connectedReplicas) == 2);
    for (int i = 0; i < 50; i++) {
      put(p, "replica:1", String.format("before:%03d", i), "p" + i);
    }
    long before = p.lastSequence();
    await()
        .atMost(CONVERGENCE)
        .until(
            () ->
                r1.replicaFigure(ReplicaSide::appliedSequence) == before
                    && r2.replicaFigure(ReplicaSide::appliedSequence) == before);
    p.kill();

    assertThat(cluster.kevo("promote", r1.address()).status()).isZero();
    assertThat(cluster.kevo("repoint", r2.address(), "--primary", r1.address()).status()).isZero();
    await().atMost(CONVERGENCE).until(() -> r1.primaryFigure(PrimarySide::connectedReplicas) == 1);
    for (int i = 0; i < 20; i++) {
      put(r1, "replica:1", String.format("after:%03d", i), "r1-" + i);
    }
    cluster.awaitConverged(CONVERGENCE, r1, r2);
    assertThat(epochOf(r2)).isEqualTo(2);
    phases.mark("failed-over");

    // The old primary is started again with its old flags: it still believes it is the primary
    // of epoch 1 and, until it hears of epoch 2, takes writes nobody else will ever have.
    p.restart();
    phases.mark("restarted");
    ReplicationStatus pReplication = p.status();
    assertThat(pReplication.epoch().orElseThrow().number()).isEqualTo(1);
    assertThat(pReplication.superseded()).isEmpty();
    for (int i = 0; i < 10; i++) {
      put(p, "async", "stale:" + i, "split" + i);
    }
    assertThat(p.scanPrefix("stale:")).hasSize(10);

    // R2 is pointed at it by mistake.
    long r2Last = r2.lastSequence();
    ReplicationCluster.ContentDigest r2Contents = r2.contentDigest();
    DistributionProcess.ShellRun repoint =
        cluster.kevo("repoint", r2.address(), "--primary", p.address());
    assertThat(repoint.status()).as("stderr: %s", repoint.err()).isZero();
    await()
        .atMost(REFUSAL)
        .until(
            () ->
                r2.status()
                    .replica()
                    .flatMap(ReplicaSide::refusal)
                    .equals(Optional.of("STALE_EPOCH")));
    await().atMost(REFUSAL).until(() -> p.status().superseded().isPresent());
    phases.mark("refused");
    assertThatThrownBy(() -> put(p, "async", "stale:refused", "x"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("superseded");
            });
    assertThat(p.get(b("stale:refused"))).isEmpty();
    assertThat(p.info().getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.PRIMARY);

    // The refusal goes on at every retry (the stale primary turns the replica away when it names
    // epoch 2), and the replica's data stays as it was.
    await().atMost(REFUSAL).until(() -> r2.logLinesContaining(STALE_REFUSAL).size() >= 2);
    phases.mark("refused-again");
    ReplicationStatus r2Replication = r2.status();
    assertThat(r2Replication.replica().orElseThrow().refusal()).hasValue("STALE_EPOCH");
    assertThat(r2Replication.epoch().orElseThrow().number()).isEqualTo(2);
    assertThat(r2.scanPrefix("stale:")).isEmpty();
    assertThat(r2.lastSequence()).isEqualTo(r2Last);
    assertThat(r2.contentDigest()).isEqualTo(r2Contents);
    assertThat(r2.replicaFigure(ReplicaSide::bootstrapsCompleted)).isZero();

    // Pointed back at the real primary, it follows it again; the split writes never reach it.
    assertThat(cluster.kevo("repoint", r2.address(), "--primary", r1.address()).status()).isZero();
    put(r1, "async", "after:last", "r1");
    cluster.awaitConverged(CONVERGENCE, r1, r2);
    assertThat(r2.scanPrefix("stale:")).isEmpty();
    assertThat(r2.get(b("after:last"))).isPresent();
    assertThat(r1.status().superseded()).isEmpty();
    phases.mark("back");
    System.out.printf("stale primary fenced; %s%n", phases);
  }

  /** The epoch {@code n} reports, or -1 if it reports none. */
  private static long epochOf(ReplicationCluster.Node n) {
    return n.status().epoch().map(ReplicationStatus.Epoch::number).orElse(-1L);
  }

  /** Elapsed milliseconds at each named step of a test, for its summary line. */
  private static final class Phases {
    private final long start = System.nanoTime();
    private final StringBuilder marks = new StringBuilder();

    void mark(String step) {
      marks
          .append(marks.length() == 0 ? "" : ", ")
          .append(step)
          .append(' ')
          .append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .append(" ms");
    }

    @Override
    public String toString() {
      return marks.toString();
    }
  }

  /**
   * A Put to {@code node} with the request metadata {@code kevo-ack: ack}; returns its trailers.
   */
  private static Metadata put(ReplicationCluster.Node node, String ack, String key, String value) {
    Metadata headers = new Metadata();
    headers.put(ACK, ack);
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    node.stub()
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
        .put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build());
    return trailers.get();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
