package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.EpochLedger;
import io.kevo.proto.PutRequest;
import io.kevo.testkit.KevoDistribution;
import io.kevo.wire.WireMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sharded cluster of real processes on a real ZooKeeper (Curator's TestingServer in this JVM,
 * ticking every 500 ms as {@code kevo coordinator} does): {@code kevo cluster init} splits the key
 * space at {@code m}; shard {@code s1} runs two nodes, {@code s2} one, each started with {@code
 * kevo server --shard}. Each shard elects its own primary and replicates within itself; a node
 * refuses another shard's key naming its owner; a kill -9 of one shard's primary fails that shard
 * over and leaves the other shard's primary and epoch as they were; {@code kevo cluster status}
 * tells it. Then s2 moves to another node: a new node of s2 bootstraps, {@code kevo switchover
 * --shard s2} gives it the primary role, and the old node stops, with s2's keys kept.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ShardedClusterIT extends ShardedClusterFixture {
  private static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static void put(ReplicationCluster.Node n, String key) {
    n.stub().put(PutRequest.newBuilder().setKey(b(key)).setValue(b("v-" + key)).build());
  }

  /** The epoch ZooKeeper's ledger holds for {@code shard}'s replication group. */
  private long shardEpoch(String shard) {
    try (Coordinator c =
        Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), "shop").forShard(shard))) {
      assertThat(c.awaitLive(ELECTION)).isTrue();
      return new EpochLedger(c).current();
    }
  }

  private String status() throws Exception {
    KevoDistribution.CommandRun run =
        kevo.run(
            tmp.resolve("cli"),
            Duration.ofSeconds(60),
            "cluster",
            "status",
            "--coordinator",
            zk.getConnectString(),
            "--cluster",
            "shop");
    assertThat(run.status()).as(run.err()).isZero();
    return run.out();
  }

  @Test
  void eachShardElectsReplicatesAndFailsOverOnItsOwnAndNodesSendForeignKeysToTheirOwner()
      throws Exception {
    KevoDistribution.CommandRun init =
        kevo.run(
            tmp.resolve("cli"),
            Duration.ofSeconds(60),
            "cluster",
            "init",
            "--coordinator",
            zk.getConnectString(),
            "--cluster",
            "shop",
            "--split-at",
            "m");
    assertThat(init.status()).as(init.err()).isZero();

    ReplicationCluster.Node a1 = member("a1", "s1", "replica:1");
    ReplicationCluster.Node a2 = member("a2", "s1", "replica:1");
    ReplicationCluster.Node b1 = member("b1", "s2", "async"); // alone in its shard
    List<ReplicationCluster.Node> s1 = List.of(a1, a2);
    ReplicationCluster.Node s1Primary = awaitPrimary(s1);
    ReplicationCluster.Node s1Replica = s1Primary == a1 ? a2 : a1;
    awaitPrimary(List.of(b1));
    long s2Epoch = shardEpoch("s2");

    // Writes at replica:1 on s1 need s1's replica: the shard replicates within itself.
    await()
        .atMost(ELECTION)
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .untilAsserted(() -> put(s1Primary, "apple"));
    put(s1Primary, "kiwi");
    put(b1, "zebra");

    StatusRuntimeException foreign =
        catchThrowableOfType(() -> put(s1Primary, "pear"), StatusRuntimeException.class);
    assertThat(foreign.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(foreign.getTrailers().get(WireMetadata.SHARD)).isEqualTo("s2");
    assertThat(foreign.getTrailers().get(WireMetadata.SHARD_MAP_VERSION)).isEqualTo("1");
    assertThat(b1.get(b("pear").toByteArray())).isEmpty();

    await().atMost(ELECTION).until(() -> s1Replica.get(b("kiwi").toByteArray()).isPresent());
    assertThat(status())
        .contains(
            "Cluster shop on coordinator "
                + zk.getConnectString()
                + ": 2 shards, shard map version 1")
        .containsPattern("s1 +\\[-, m\\) +" + s1Primary.name + " at ")
        .containsPattern("s2 +\\[m, -\\) +b1 at ");

    // The shell on zk:// routes each key to its shard and scans across shards in key order.
    KevoDistribution.CommandRun shell =
        kevo.run(
            tmp.resolve("cli"),
            "put banana 1\nput yak 2\nget yak\nscan\n",
            Duration.ofSeconds(60),
            "shell",
            "--connect",
            "zk://" + zk.getConnectString() + "/shop");
    assertThat(shell.status()).as(shell.err()).isZero();
    assertThat(shell.out())
        .isEqualTo(
            "OK\nOK\n2\napple = v-apple\nbanana = 1\nkiwi = v-kiwi\nyak = 2\nzebra = v-zebra\n"
                + "(5 entries)\n");

    // s1's primary dies: s1 fails over to its replica, with every write acknowledged; s2 is
    // untouched. (At replica:1 the new primary serves reads once a replica confirms what it
    // holds: the old primary, back as its replica.)
    s1Primary.kill();
    ReplicationCluster.Node next = awaitPrimary(List.of(s1Replica));
    s1Primary.restart();
    await()
        .atMost(ELECTION)
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .until(() -> next.get(b("apple").toByteArray()).isPresent());
    assertThat(next.get(b("kiwi").toByteArray())).isPresent();
    assertThat(isPrimary(b1)).isTrue();
    assertThat(shardEpoch("s2")).as("s2's epoch").isEqualTo(s2Epoch);
    assertThat(shardEpoch("s1")).as("s1's epoch").isGreaterThan(s2Epoch);
    assertThat(b1.get(b("zebra").toByteArray())).isPresent();
    await()
        .atMost(ELECTION)
        .untilAsserted(
            () -> assertThat(status()).containsPattern("s1 +\\[-, m\\) +" + next.name + " at "));

    // s2's data moves to another node: b2 joins s2 and bootstraps from b1 (the bootstrap every
    // replica has), takes the primary role by a switchover in s2's group, and b1 stops.
    ReplicationCluster.Node b2 = member("b2", "s2", "async");
    await().atMost(ELECTION).until(() -> b2.get(b("yak").toByteArray()).isPresent());
    KevoDistribution.CommandRun switched =
        kevo.run(
            tmp.resolve("cli"),
            Duration.ofSeconds(60),
            "switchover",
            "--coordinator",
            zk.getConnectString(),
            "--cluster",
            "shop",
            "--shard",
            "s2",
            "--to",
            "b2");
    assertThat(switched.status()).as(switched.out() + switched.err()).isZero();
    assertThat(switched.out()).startsWith("switched over from b1 to b2 (epoch ");
    b1.process().terminate();
    assertThat(isPrimary(b2)).isTrue();
    KevoDistribution.CommandRun after =
        kevo.run(
            tmp.resolve("cli"),
            "put walrus 3\nget zebra\nget walrus\n",
            Duration.ofSeconds(60),
            "shell",
            "--connect",
            "zk://" + zk.getConnectString() + "/shop");
    assertThat(after.status()).as(after.err()).isZero();
    assertThat(after.out()).isEqualTo("OK\nv-zebra\n3\n");
  }
}
