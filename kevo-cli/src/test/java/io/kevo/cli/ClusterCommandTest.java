package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kevo.cli.InProcessKevo.Run;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.SplitRecord;
import io.kevo.coordination.SplitStore;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kevo cluster init} and {@code kevo cluster status} against a real ZooKeeper (Curator's
 * TestingServer): the map written is read back through {@link ShardMapStore}, and the shards'
 * members are registered by {@link MemberRegistry} in their shard's replication group.
 */
@Timeout(120)
class ClusterCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NL = System.lineSeparator();
  private static final String SPLIT_HELP = " Run 'kevo cluster split --help' for usage.";

  private TestingServer zk;
  private CoordinatorOptions options;
  private Coordinator session;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(true);
    options = CoordinatorOptions.of(zk.getConnectString(), "main");
    session = live(options);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    session.close();
    zk.close();
  }

  @Test
  void initWithShardsWritesAnEvenMapAndPrintsItsShards() {
    Run run = cluster("init", "--shards", "3");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            "Cluster main is sharded: shard map version 1, 3 shards, at"
                + " /kevo/clusters/main/shard-map\n"
                + "  s1  [-, UU)\n"
                + "  s2  [UU, \"\\xaa\\xaa\")\n"
                + "  s3  [\"\\xaa\\xaa\", -)\n"
                + "\n"
                + "Start each shard's nodes with: kevo server ... --coordinator "
                + zk.getConnectString()
                + " --cluster main --shard ID\n");
    assertThat(map()).contains(ShardMap.even(3));
  }

  @Test
  void initTwiceFailsAndLeavesTheFirstMap() {
    assertThat(cluster("init", "--shards", "3").status()).isZero();

    Run again = cluster("init", "--shards", "5");

    assertThat(again.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(again.out()).isEmpty();
    assertThat(again.err())
        .isEqualTo(
            "error: cluster main already has a shard map (version 1, 3 shards) at"
                + " /kevo/clusters/main/shard-map"
                + NL);
    assertThat(map()).contains(ShardMap.even(3));
  }

  @Test
  void splitPointsAreKeysTypedAsInTheShell() {
    Run run = cluster("init", "--split-at", "g,n\\xff,\"u v\",\"x,y\"");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith(
            "Cluster main is sharded: shard map version 1, 5 shards, at"
                + " /kevo/clusters/main/shard-map\n"
                + "  s1  [-, g)\n"
                + "  s2  [g, \"n\\xff\")\n"
                + "  s3  [\"n\\xff\", \"u v\")\n"
                + "  s4  [\"u v\", x,y)\n"
                + "  s5  [x,y, -)\n\n");
    assertThat(map())
        .contains(
            ShardMap.splitAt(
                List.of(
                    "g".getBytes(UTF_8),
                    new byte[] {'n', (byte) 0xff},
                    "u v".getBytes(UTF_8),
                    "x,y".getBytes(UTF_8))));
  }

  @Test
  void badSplitPointsAreOneLineAndWriteNothing() {
    assertUsageError(
        cluster("init", "--split-at", "m,g"),
        "error: split points must ascend: g is not after m. Run 'kevo cluster init --help' for"
            + " usage.");
    assertUsageError(
        cluster("init", "--split-at", "a,\\x61"),
        "error: split points must ascend: a is not after a. Run 'kevo cluster init --help' for"
            + " usage.");
    assertUsageError(
        cluster("init", "--split-at", "a,\"\""),
        "error: a split point cannot be the empty key. Run 'kevo cluster init --help' for usage.");
    assertUsageError(
        cluster("init", "--split-at", "a\\x6"),
        "error: split point a\\x6: bad escape: \\x needs two hex digits, as in \\x0a. Run 'kevo"
            + " cluster init --help' for usage.");
    assertUsageError(
        cluster("init", "--split-at", "user 5"),
        "error: split point user 5 is one key: put it in double quotes, as in kevo shell. Run"
            + " 'kevo cluster init --help' for usage.");
    assertUsageError(
        cluster("init", "--shards", "0"),
        "error: shards must be 1 to 4096, got 0. Run 'kevo cluster init --help' for usage.");
    assertThat(map()).isEmpty();
  }

  @Test
  void aMapTooLargeForTheCoordinatorIsRefusedAndNothingWritten() {
    List<String> points = new ArrayList<>();
    for (int i = 1; i < ShardMap.MAX_SHARDS; i++) {
      points.add(String.format("k%04d", i) + "x".repeat(300));
    }

    Run run = cluster("init", "--split-at", String.join(",", points));

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("error: a shard map of 4096 shards takes ")
        .contains("use fewer shards or shorter split points")
        .hasLineCount(1);
    assertThat(map()).isEmpty();
  }

  @Test
  void initNeedsExactlyOneWayToSplit() {
    assertUsageError(
        cluster("init"),
        "error: say how to split the key space: --shards N or --split-at KEY[,KEY...]. Run 'kevo"
            + " cluster init --help' for usage.");
    assertUsageError(
        cluster("init", "--shards", "2", "--split-at", "m"),
        "error: give either --shards or --split-at, not both. Run 'kevo cluster init --help' for"
            + " usage.");
    assertThat(map()).isEmpty();
  }

  @Test
  void clusterAloneAsksForACommand() {
    assertUsageError(
        kevo("", "cluster"),
        "error: missing command (one of init, status, split). Run 'kevo cluster --help' for usage.");
  }

  @Test
  void statusOfAnUnshardedClusterSaysSo() {
    Run run = cluster("status");

    assertThat(run.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "error: cluster main is not sharded (no shard map at /kevo/clusters/main/shard-map);"
                + " kevo status shows an unsharded cluster"
                + NL);
  }

  @Test
  void statusShowsEachShardsPrimaryAndLag() throws Exception {
    assertThat(cluster("init", "--split-at", "m").status()).isZero();
    Coordinator s1 = live(options.forShard("s1"));
    register(
        s1, new MemberInfo("n1", "127.0.0.1:50051", "primary", 2, 2, 1042, false, "", 3L << 20));
    register(s1, new MemberInfo("n2", "127.0.0.1:50052", "replica", 2, 2, 1039, false));
    register(s1, new MemberInfo("n3", "127.0.0.1:50053", "replica", 2, 2, 1042, false));
    Coordinator s2 = live(options.forShard("s2"));
    register(s2, new MemberInfo("n4", "127.0.0.1:50054", "replica", 1, 1, 7, false));

    Run run = cluster("status");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            "Cluster main on coordinator "
                + zk.getConnectString()
                + ": 2 shards, shard map version 1\n"
                + "  shard  range   primary                members  max lag  durable sequence     size\n"
                + "  s1     [-, m)  n1 at 127.0.0.1:50051        3        3              1042  3.0 MiB\n"
                + "  s2     [m, -)  none                         1        -                 -        -\n");

    Run json = cluster("status", "--json");

    assertThat(json.status()).as(json.err()).isZero();
    JsonNode doc = JSON.readTree(json.out());
    assertThat(doc.path("coordinator").asText()).isEqualTo(zk.getConnectString());
    assertThat(doc.path("cluster").asText()).isEqualTo("main");
    assertThat(doc.path("map_version").asLong()).isEqualTo(1);
    JsonNode shards = doc.path("shards");
    assertThat(shards).hasSize(2);
    JsonNode first = shards.get(0);
    assertThat(first.path("id").asText()).isEqualTo("s1");
    assertThat(first.path("range").asText()).isEqualTo("[-, m)");
    assertThat(first.path("start_hex").asText()).isEmpty();
    assertThat(first.path("end_hex").asText()).isEqualTo("6d");
    assertThat(first.path("primary").asText()).isEqualTo("n1");
    assertThat(first.path("primary_address").asText()).isEqualTo("127.0.0.1:50051");
    assertThat(first.path("no_primary").isNull()).isTrue();
    assertThat(first.path("member_count").asInt()).isEqualTo(3);
    assertThat(first.path("max_lag").asLong()).isEqualTo(3);
    assertThat(first.path("primary_durable_sequence").asLong()).isEqualTo(1042);
    assertThat(first.path("primary_data_bytes").asLong()).isEqualTo(3L << 20);
    JsonNode second = shards.get(1);
    assertThat(second.path("id").asText()).isEqualTo("s2");
    assertThat(second.path("start_hex").asText()).isEqualTo("6d");
    assertThat(second.path("end_hex").isNull()).isTrue();
    assertThat(second.path("primary").isNull()).isTrue();
    assertThat(second.path("primary_address").isNull()).isTrue();
    assertThat(second.path("no_primary").asText())
        .startsWith("no primary: the one live member does not report the primary role");
    assertThat(second.path("member_count").asInt()).isEqualTo(1);
    assertThat(second.path("max_lag").isNull()).isTrue();
    assertThat(second.path("primary_durable_sequence").isNull()).isTrue();
    assertThat(second.path("primary_data_bytes").isNull()).isTrue();
  }

  @Test
  void splitChecksItsRequestBeforeWritingAnything() {
    assertThat(cluster("split", "s1", "--at", "g").err())
        .isEqualTo("error: cluster main is not sharded (no shard map)" + NL);
    assertThat(cluster("init", "--split-at", "m").status()).isZero();

    assertUsageError(
        cluster("split", "s1"), "error: say where to split: --at KEY (or --abort)." + SPLIT_HELP);
    assertUsageError(
        cluster("split", "s1", "--at", "q"),
        "error: split point \"q\" is not inside shard s1 [-, \"m\"): it must come after the"
            + " shard's first key and before its end."
            + SPLIT_HELP);
    assertUsageError(
        cluster("split", "s1", "--at", "g", "--into", "s2"),
        "error: shard map version 1 already has a shard s2." + SPLIT_HELP);
    assertThat(new SplitStore(session).all()).isEmpty();
    assertThat(cluster("split", "s1", "--abort").err())
        .isEqualTo("error: shard s1 has no split under way" + NL);
  }

  @Test
  void aSplitWhoseNewShardNeverCatchesUpStaysRecordedUntilAborted() throws Exception {
    assertThat(cluster("init", "--split-at", "m").status()).isZero();

    Run run = cluster("split", "s1", "--at", "g", "--learn-timeout", "1s");

    assertThat(run.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(run.out())
        .isEqualTo(
            "recorded the split of shard s1 at \"g\" into s3; start the new shard's nodes with"
                + " kevo server ... --shard s3\n");
    assertThat(run.err())
        .isEqualTo(
            "error: no node of shard s3 caught up with shard s1 within 1 s (none is running:"
                + " start them with --shard s3); the split stays recorded: run the command again"
                + " to go on, or --abort"
                + NL);
    assertThat(new SplitStore(session).read("s1").orElseThrow().record().state())
        .isEqualTo(SplitRecord.State.LEARNING);
    assertThat(cluster("status").out())
        .endsWith("  split under way: s1 into s3 at \"g\" (LEARNING), from shard map version 1\n");
    JsonNode splits = JSON.readTree(cluster("status", "--json").out()).get("splits");
    assertThat(splits).hasSize(1);
    assertThat(splits.get(0).get("to").asText()).isEqualTo("s3");
    assertThat(splits.get(0).get("at_hex").asText()).isEqualTo("67");
    assertThat(splits.get(0).get("state").asText()).isEqualTo("LEARNING");

    Run abort = cluster("split", "s1", "--abort");

    assertThat(abort.status()).as(abort.err()).isZero();
    assertThat(abort.out())
        .isEqualTo(
            "Gave up the split s1 into s3 at \"g\" (ABORTED); shard s1 serves its whole range"
                + " again\n");
    assertThat(new SplitStore(session).read("s1").orElseThrow().record().state())
        .isEqualTo(SplitRecord.State.ABORTED);
    assertThat(map().orElseThrow().version()).isEqualTo(1);
    assertThat(cluster("status").out()).doesNotContain("split under way");
  }

  @Test
  void aSwitchoverInAShardedClusterNamesItsShard() {
    assertThat(cluster("init", "--split-at", "m").status()).isZero();
    String[] common = {"--coordinator", zk.getConnectString(), "--cluster", "main", "--to", "n2"};

    Run unsharded = kevo("", concat(new String[] {"switchover"}, common));
    Run noPrimary = kevo("", concat(new String[] {"switchover", "--shard", "s2"}, common));

    assertThat(unsharded.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(unsharded.err())
        .isEqualTo(
            "error: cluster main is sharded: say whose primary role moves with --shard ID (kevo"
                + " cluster status lists the shards)"
                + NL);
    assertThat(noPrimary.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(noPrimary.err())
        .isEqualTo("error: shard s2 of cluster main has no primary to switch over from" + NL);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void anUnreachableCoordinatorIsOneLineAndStatusTwo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String dead = "127.0.0.1:" + port;

    Run run =
        kevo("", "cluster", "init", "--coordinator", dead, "--cluster", "main", "--shards", "2");

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: cannot reach the coordinator at " + dead + NL);
  }

  /** Runs {@code kevo cluster COMMAND --coordinator ZK --cluster main ARGS...}. */
  private Run cluster(String command, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "cluster", command, "--coordinator", zk.getConnectString(), "--cluster", "main"));
    all.addAll(List.of(args));
    return kevo("", all.toArray(String[]::new));
  }

  private Optional<ShardMap> map() {
    return new ShardMapStore(session).read();
  }

  private static void assertUsageError(Run run, String line) {
    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo(line + NL);
  }

  private Coordinator live(CoordinatorOptions of) {
    Coordinator c = Coordinator.start(of);
    if (session != null) {
      open.add(c);
    }
    assertThat(c.awaitLive(Duration.ofSeconds(10))).isTrue();
    return c;
  }

  private void register(Coordinator group, MemberInfo member) {
    MemberRegistry registry = MemberRegistry.register(group, member);
    open.add(registry);
    assertThat(registry.awaitRegistered(Duration.ofSeconds(10))).isTrue();
  }
}
