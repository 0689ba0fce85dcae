package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.client.KevoClient;
import io.kevo.client.Op;
import io.kevo.testkit.TcpProxy;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaLink;
import io.kevo.wire.ReplicaSide;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Snapshot bootstrap across processes: a replica that was offline while its primary wrote past the
 * retention limit, a brand-new replica of a primary holding many keys ({@code
 * -Dkevo.it.bootstrapKeys}, default 1,000,000 keys of 100 bytes), and a replica killed with SIGKILL
 * at random points of its bootstrap, restarted each time: each converges to the primary's contents,
 * and no read ever sees half a snapshot.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ReplicationBootstrapIT extends ClusterFixture {
  private static final Duration CONVERGENCE = Duration.ofSeconds(120);
  private static final int KEYS = Integer.getInteger("kevo.it.bootstrapKeys", 1_000_000);
  private static final List<String> INFO = List.of("-Dkevo.log.level=INFO");
  private static final Pattern INSTALLED =
      Pattern.compile("bootstrap (\\S+) installed: sequence (\\d+), (\\d+) bytes in (\\d+) ms");

  @Test
  void aReplicaOfflineWhileThePrimaryWritesPastItsRetentionComesBackBootstrapsAndConverges()
      throws Exception {
    ReplicationCluster.Node primary =
        cluster.startPrimary(
            "primary",
            List.of(),
            "--repl-retention-mb",
            "1",
            "--memtable-mb",
            "4",
            "--wal-segment-mb",
            "4");
    ReplicationCluster.Node replica = cluster.startReplica("replica", primary.address(), INFO);
    try (KevoClient client = primary.client()) {
      load(client, "early", 20_000, 100);
      long position = cluster.awaitConverged(CONVERGENCE, primary, replica);
      replica.kill();
      // Past the 1 MiB retention limit, and past the primary's 32 MiB in-memory tail.
      for (int i = 0; i < 20_000; i += 2) {
        client.delete(b(key("early", i)));
      }
      load(client, "while-away", 400_000, 100);
      await()
          .atMost(CONVERGENCE)
          .until(
              () ->
                  ReplicaLink.of(primary.info().getReplicasList().get(0))
                      .holdDropped()
                      .orElse(false));
      // Flushes after the hold was dropped trim the log past the replica's position.
      load(client, "after-drop", 60_000, 100);
      await()
          .atMost(CONVERGENCE)
          .until(() -> primary.primaryFigure(PrimarySide::firstRetainedSequence) > position + 1);
    }
    replica.restart();
    cluster.awaitConverged(CONVERGENCE, primary, replica);
    assertThat(replica.logLinesContaining("needs a bootstrap"))
        .as("the replica's log:\n%s", replica.process().logText())
        .isNotEmpty();
    assertThat(installed(replica)).hasSize(1);
    assertThat(replica.replicaFigure(ReplicaSide::bootstrapsCompleted)).isEqualTo(1);
    assertThat(replica.get(b(key("early", 0)))).isEmpty();
    assertThat(replica.get(b(key("early", 1)))).isPresent();
    assertThat(primary.primaryFigure(PrimarySide::bootstrapsCompleted)).isEqualTo(1);
  }

  @Test
  void aBrandNewReplicaJoinsAPrimaryHoldingManyKeysAndConverges() throws Exception {
    ReplicationCluster.Node primary = cluster.startPrimary("primary");
    try (KevoClient client = primary.client()) {
      long t0 = System.nanoTime();
      // Random (incompressible) values: the snapshot is as large as the data.
      load(client, "key", KEYS, -100);
      System.out.printf(
          "bootstrap IT: loaded %d keys of 100 random bytes in %d ms%n",
          KEYS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
    long started = System.nanoTime();
    ReplicationCluster.Node replica = cluster.startReplica("replica", primary.address(), INFO);
    await()
        .atMost(CONVERGENCE)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> replica.lastSequence() == primary.lastSequence());
    long caughtUp = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    cluster.awaitConverged(CONVERGENCE, primary, replica);
    List<long[]> runs = installed(replica);
    assertThat(runs).hasSize(1);
    System.out.printf(
        "bootstrap IT: %d keys: snapshot of %d bytes fetched and installed in %d ms; replica"
            + " process start to caught up: %d ms%n",
        KEYS, runs.get(0)[1], runs.get(0)[2], caughtUp);
  }

  @Test
  void aReplicaKilledAtRandomPointsOfItsBootstrapStillConvergesAndNeverServesHalfASnapshot()
      throws Exception {
    // Enough to push the first writes out of the primary's 32 MiB in-memory tail, and small
    // memtables so that its log is trimmed: the new replica must bootstrap.
    int keys = Math.min(KEYS, 400_000);
    ReplicationCluster.Node primary =
        cluster.startPrimary("primary", List.of(), "--memtable-mb", "4", "--wal-segment-mb", "4");
    try (KevoClient client = primary.client()) {
      load(client, "key", keys, 100);
    }
    await()
        .atMost(CONVERGENCE)
        .until(() -> primary.primaryFigure(PrimarySide::firstRetainedSequence) > 1);
    byte[] first = b(key("key", 0));
    byte[] last = b(key("key", keys - 1));
    Random random = new Random(42);
    int kills = 0;
    // Through a proxy at 1 MiB/s (the snapshot of these compressible values is ~7 MiB), so that
    // each
    // transfer lasts long enough to be killed in even when a loaded machine makes the status polls
    // that find the moment slow (at 2 MiB/s a run at load ~15 once saw the bootstrap end first).
    TcpProxy proxy = new TcpProxy("127.0.0.1", primary.port());
    proxy.throttle(1L << 20);
    ReplicationCluster.Node replica = cluster.startReplica("replica", proxy.address(), INFO);
    AtomicBoolean probing = new AtomicBoolean(true);
    AtomicInteger consistentReads = new AtomicInteger();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    // Reads of the first and the last key loaded: both or neither (an empty replica), never one.
    Future<?> probe =
        pool.submit(
            () -> {
              while (probing.get()) {
                Optional<Boolean> a = found(replica, first);
                Optional<Boolean> z = found(replica, last);
                if (a.isPresent() && z.isPresent()) {
                  assertThat(a.get()).as("first and last key found alike").isEqualTo(z.get());
                  consistentReads.incrementAndGet();
                }
              }
              return null;
            });
    try {
      for (int round = 0; round < 3; round++) {
        // Round 0 kills as soon as the bootstrap starts, round 1 once file bytes have arrived,
        // round 2 at a random point.
        int r = round;
        await()
            .atMost(CONVERGENCE)
            .pollInterval(Duration.ofMillis(2))
            .ignoreExceptions()
            .until(
                () -> {
                  Optional<ReplicaSide> s = replica.status().replica();
                  boolean ready =
                      s.flatMap(ReplicaSide::state).equals(Optional.of("BOOTSTRAPPING"))
                          && (r != 1
                              || s.flatMap(ReplicaSide::bootstrap)
                                      .map(b -> b.bytesDone().orElse(0))
                                      .orElse(0L)
                                  > 0);
                  return ready || replica.lastSequence() == primary.lastSequence();
                });
        if (replica.lastSequence() == primary.lastSequence()) {
          break; // the last kill came after the installation: nothing left to interrupt
        }
        if (round == 2) {
          Thread.sleep(random.nextInt(1500));
        }
        replica.kill();
        kills++;
        replica.restart();
      }
      cluster.awaitConverged(CONVERGENCE, primary, replica);
    } finally {
      probing.set(false);
      probe.get(30, TimeUnit.SECONDS);
      pool.shutdownNow();
      proxy.close();
    }
    assertThat(consistentReads.get()).isPositive();
    assertThat(installed(replica)).as("installed bootstraps").isNotEmpty();
    assertThat(kills).as("kills during a bootstrap").isGreaterThanOrEqualTo(2);
    // Round 1 killed it with file bytes staged: the next start discarded the unsealed transfer.
    assertThat(replica.logLinesContaining("discarding the unfinished checkpoint transfer"))
        .isNotEmpty();
    // The preload came in the snapshot, not through the log (the attempt from 1 was refused).
    assertThat(replica.replicaFigure(ReplicaSide::entriesApplied)).isLessThan(keys);
    assertThat(replica.get(first)).isPresent();
    assertThat(replica.get(last)).isPresent();
    System.out.printf(
        "bootstrap kill IT: %d keys, %d kills mid-bootstrap, %d consistent probe reads, %d"
            + " installs logged, %d discarded transfers logged%n",
        keys,
        kills,
        consistentReads.get(),
        installed(replica).size(),
        replica.logLinesContaining("discarding the unfinished checkpoint transfer").size());
  }

  /** Whether {@code key} is found on {@code node}; empty if the node did not answer a read. */
  private static Optional<Boolean> found(ReplicationCluster.Node node, byte[] key) {
    try {
      return Optional.of(node.get(key).isPresent());
    } catch (StatusRuntimeException e) {
      Status.Code c = e.getStatus().getCode();
      assertThat(c)
          .as("a read that fails during a bootstrap: %s", e.getStatus())
          .isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
      return Optional.empty();
    }
  }

  /** Per installed bootstrap logged: {sequence, bytes, millis}. */
  private static List<long[]> installed(ReplicationCluster.Node replica) {
    List<long[]> out = new ArrayList<>();
    for (String line : replica.logLinesContaining("installed: sequence")) {
      Matcher m = INSTALLED.matcher(line);
      if (m.find()) {
        out.add(
            new long[] {
              Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))
            });
      }
    }
    return out;
  }

  /**
   * Writes {@code n} keys {@code prefix%07d} with {@code |valueBytes|}-byte values, batched:
   * repetitive values if positive, seeded random ones if negative.
   */
  private static void load(KevoClient client, String prefix, int n, int valueBytes)
      throws Exception {
    int batch = 1000;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int start = 0; start < n; start += batch) {
        int from = start;
        done.add(
            pool.submit(
                () -> {
                  List<Op> ops = new ArrayList<>(batch);
                  for (int i = from; i < Math.min(n, from + batch); i++) {
                    byte[] v = new byte[Math.abs(valueBytes)];
                    if (valueBytes > 0) {
                      java.util.Arrays.fill(v, (byte) ('a' + i % 26));
                    } else {
                      new Random(i).nextBytes(v);
                    }
                    ops.add(Op.put(b(key(prefix, i)), v));
                  }
                  client.batch(ops, false);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String key(String prefix, int i) {
    return String.format("%s%07d", prefix, i);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
