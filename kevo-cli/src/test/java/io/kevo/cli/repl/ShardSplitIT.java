package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoClientException;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.SplitRecord;
import io.kevo.coordination.SplitStore;
import io.kevo.proto.PutRequest;
import io.kevo.testkit.KevoDistribution;
import io.kevo.wire.WireMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An online split of real processes on a real ZooKeeper (Curator's TestingServer in this JVM,
 * ticking every 500 ms as {@code kevo coordinator} does), with a shard primary killed in the
 * middle: shard s1 {@code [-, m)} runs two nodes at {@code replica:1}; {@code kevo cluster split s1
 * --at g} begins while a routing client writes keys on both sides of {@code g}; s1's primary is
 * killed with -9 while the split waits for the new shard's nodes; s1 fails over; the two new nodes,
 * started then, learn the new primary's log; the map flips and s3 elects its primary, which the
 * other follows. Every write the client saw acknowledged reads back afterwards, s1 refuses the
 * moving keys naming s3, and {@code kevo cluster status} shows three shards.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ShardSplitIT extends ShardedClusterFixture {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private KevoDistribution.CommandRun cli(String... args) throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "cluster";
    all[1] = args[0];
    all[2] = "--coordinator";
    all[3] = zk.getConnectString();
    all[4] = "--cluster=shop";
    System.arraycopy(args, 1, all, 5, args.length - 1);
    return kevo.run(tmp.resolve("cli"), Duration.ofMinutes(3), all);
  }

  /** Puts keys of [a, m) one after another, remembering what was acknowledged and what failed. */
  private static final class Writer extends Thread {
    final KevoClient client;
    final AtomicBoolean stop = new AtomicBoolean();
    final Map<String, String> acked = new HashMap<>();
    final Map<String, Set<String>> uncertain = new HashMap<>();
    volatile int writes;
    volatile int failed;

    Writer(KevoClient client) {
      this.client = client;
    }

    @Override
    public void run() {
      Random random = new Random(11);
      while (!stop.get()) {
        String key = (char) ('a' + random.nextInt(12)) + "-" + random.nextInt(100);
        String value = "v" + writes;
        writes++;
        try {
          client.put(b(key), b(value));
          acked.put(key, value);
          uncertain.remove(key);
        } catch (KevoClientException e) {
          failed++;
          uncertain.computeIfAbsent(key, k -> new HashSet<>()).add(value);
        }
      }
    }
  }

  @Test
  void aShardSplitsOnlineThroughAKillOfItsPrimaryAndLosesNoAcknowledgedWrite() throws Exception {
    assertThat(cli("init", "--split-at", "m").status()).isZero();
    ReplicationCluster.Node a1 = member("a1", "s1", "replica:1");
    ReplicationCluster.Node a2 = member("a2", "s1", "replica:1");
    ReplicationCluster.Node b1 = member("b1", "s2", "replica:1");
    ReplicationCluster.Node primary = awaitPrimary(List.of(a1, a2));
    ReplicationCluster.Node other = primary == a1 ? a2 : a1;
    awaitPrimary(List.of(b1));

    try (KevoClient client = KevoClient.connect("zk://" + zk.getConnectString() + "/shop");
        Coordinator admin =
            Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), "shop"))) {
      assertThat(admin.awaitLive(ELECTION)).isTrue();
      await()
          .atMost(ELECTION)
          .ignoreExceptionsInstanceOf(KevoClientException.class)
          .untilAsserted(() -> client.put(b("h-first"), b("1")));
      Writer writer = new Writer(client);
      writer.start();
      await().atMost(ELECTION).until(() -> writer.writes > 300);

      CompletableFuture<KevoDistribution.CommandRun> split =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return cli("split", "s1", "--at", "g", "--fence-timeout", "60s");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      SplitStore splits = new SplitStore(admin);
      await()
          .atMost(ELECTION)
          .until(
              () ->
                  splits
                      .read("s1")
                      .map(h -> h.record().state() == SplitRecord.State.LEARNING)
                      .orElse(false));

      // s1's primary dies while the split waits for the new shard's node: s1 fails over.
      primary.kill();
      awaitPrimary(List.of(other));
      primary.restart();
      // The new shard runs two nodes, both learners until the flip, at replica:1 like s1.
      ReplicationCluster.Node c1 = member("c1", "s3", "replica:1");
      ReplicationCluster.Node c2 = member("c2", "s3", "replica:1");

      KevoDistribution.CommandRun done = split.get(3, TimeUnit.MINUTES);
      assertThat(done.status()).as(done.out() + done.err()).isZero();
      assertThat(done.out())
          .contains("recorded the split of shard s1 at \"g\" into s3")
          .containsPattern("flipped the shard map: c[12] holds sequence")
          .containsPattern(
              "Split shard s1 at g: shard s3 \\[g, m\\) \\(shard map version 2\\),"
                  + " primary c[12]; the moving keys paused \\d+ ms");
      int before = writer.writes;
      await().atMost(ELECTION).until(() -> writer.writes > before + 300);
      writer.stop.set(true);
      writer.join();

      for (Map.Entry<String, String> e : writer.acked.entrySet()) {
        Optional<String> read =
            client.get(b(e.getKey())).map(v -> new String(v, StandardCharsets.UTF_8));
        Set<String> allowed = new HashSet<>(writer.uncertain.getOrDefault(e.getKey(), Set.of()));
        allowed.add(e.getValue());
        assertThat(read).as("key %s", e.getKey()).isPresent();
        assertThat(allowed).as("key %s read %s", e.getKey(), read).contains(read.get());
      }
      assertThat(client.get(b("h-first")).map(v -> new String(v, StandardCharsets.UTF_8)))
          .contains("1");
      ReplicationCluster.Node s3Primary = awaitPrimary(List.of(c1, c2));
      ReplicationCluster.Node s3Replica = s3Primary == c1 ? c2 : c1;
      // s3 replicates within itself: its replica holds what the client wrote there since.
      client.put(b("h-after"), b("2"));
      await().atMost(ELECTION).until(() -> s3Replica.get(b("h-after")).isPresent());

      // s1 refuses the moving keys by the new map, naming s3.
      ReplicationCluster.Node s1Primary = awaitPrimary(List.of(a1, a2));
      StatusRuntimeException moved =
          catchThrowableOfType(
              () ->
                  s1Primary
                      .stub()
                      .put(
                          PutRequest.newBuilder()
                              .setKey(com.google.protobuf.ByteString.copyFromUtf8("h-x"))
                              .setValue(com.google.protobuf.ByteString.copyFromUtf8("x"))
                              .build()),
              StatusRuntimeException.class);
      assertThat(moved.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(moved.getTrailers().get(WireMetadata.SHARD)).isEqualTo("s3");
      assertThat(moved.getTrailers().get(WireMetadata.SHARD_MAP_VERSION)).isEqualTo("2");
      System.out.println(
          "split IT: writes " + writer.writes + ", failed " + writer.failed + "\n" + done.out());
    }
    KevoDistribution.CommandRun status = cli("status");
    assertThat(status.status()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("3 shards, shard map version 2")
        .containsPattern("s3 +\\[g, m\\) +c[12] at ");
  }
}
