package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kevo.cli.InProcessKevo.Run;
import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.EpochLedger;
import io.kevo.coordination.FailoverRecord;
import io.kevo.coordination.LeaderElection;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.coordination.PrimaryRecord;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kevo status --coordinator HOST:PORT --cluster NAME} against a real ZooKeeper (Curator's
 * TestingServer) holding a cluster written through the coordination module itself: members
 * registered by {@link MemberRegistry}, an epoch claimed from the {@link EpochLedger}, records
 * written by {@link ClusterRecords}, a leader elected by {@link LeaderElection}.
 */
@Timeout(120)
class CoordinatorStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FAILOVER_AT = Instant.parse("2026-12-06T17:58:00.120Z").toEpochMilli();
  private static final long RECORD_AT = Instant.parse("2026-12-06T17:58:01.500Z").toEpochMilli();

  private TestingServer zk;
  private Coordinator session;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(true);
    session = Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), "main"));
    assertThat(session.awaitLive(Duration.ofSeconds(10))).isTrue();
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
  void showsMembersTheirLagTheLeaderTheEpochAndTheLastFailover() throws Exception {
    register(new MemberInfo("n1", "127.0.0.1:50051", "replica", 3, 3, 1040, false));
    register(new MemberInfo("n2", "127.0.0.1:50052", "primary", 3, 3, 1042, false));
    register(new MemberInfo("n3", "127.0.0.1:50053", "replica", 3, 2, 900, true));
    elect("n2");
    EpochLedger ledger = new EpochLedger(session);
    ledger.claimNext(ledger.claimNext(ledger.claimNext(0)));
    ClusterRecords records = new ClusterRecords(session);
    records.writePrimary(new PrimaryRecord("n2", "127.0.0.1:50052", 3, 901, 1042, RECORD_AT));
    records.writeFailover(
        new FailoverRecord(FAILOVER_AT, "n1", "n2", 3, "primary n1's session ended"));

    Run run = kevo("", "status", "--coordinator", zk.getConnectString(), "--cluster", "main");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("Cluster main on coordinator " + zk.getConnectString())
        .containsPattern("primary +n2 at 127\\.0\\.0\\.1:50052, epoch 3\n")
        .containsPattern("leader +n2\n")
        .containsPattern("epoch ledger +3\n")
        .containsPattern(
            "primary record +n2 at 127\\.0\\.0\\.1:50052, epoch 3 from sequence 901, confirmed"
                + " 1042 at 2026-12-06T17:58:01.500Z\n")
        .containsPattern(
            "last failover +2026-12-06T17:58:00.120Z: n1 -> n2, epoch 3 \\(primary n1's session"
                + " ended\\)\n")
        .contains("Members (3)")
        .containsPattern("id +address +role +epoch +last entry epoch +durable sequence +lag")
        .containsPattern("n1 +127\\.0\\.0\\.1:50051 +replica +3 +3 +1040 +2 +no\n")
        .containsPattern("n2 +127\\.0\\.0\\.1:50052 +primary +3 +3 +1042 +0 +no\n")
        .containsPattern("n3 +127\\.0\\.0\\.1:50053 +replica +3 +2 +900 +142 +yes\n")
        .doesNotContain("no primary");

    Run json =
        kevo("", "status", "--json", "--coordinator", zk.getConnectString(), "--cluster", "main");

    assertThat(json.status()).as(json.err()).isZero();
    JsonNode doc = JSON.readTree(json.out());
    assertThat(doc.path("coordinator").asText()).isEqualTo(zk.getConnectString());
    assertThat(doc.path("cluster").asText()).isEqualTo("main");
    assertThat(doc.path("epoch").asLong()).isEqualTo(3);
    assertThat(doc.path("leader").asText()).isEqualTo("n2");
    assertThat(doc.path("primary").asText()).isEqualTo("n2");
    assertThat(doc.path("no_primary").isNull()).isTrue();
    JsonNode record = doc.path("primary_record");
    assertThat(record.path("id").asText()).isEqualTo("n2");
    assertThat(record.path("term_start").asLong()).isEqualTo(901);
    assertThat(record.path("sequence").asLong()).isEqualTo(1042);
    assertThat(record.path("updated_at").asText()).isEqualTo("2026-12-06T17:58:01.500Z");
    JsonNode failover = doc.path("last_failover");
    assertThat(failover.path("at").asText()).isEqualTo("2026-12-06T17:58:00.120Z");
    assertThat(failover.path("at_ms").asLong()).isEqualTo(FAILOVER_AT);
    assertThat(failover.path("from").asText()).isEqualTo("n1");
    assertThat(failover.path("to").asText()).isEqualTo("n2");
    assertThat(failover.path("epoch").asLong()).isEqualTo(3);
    assertThat(failover.path("reason").asText()).isEqualTo("primary n1's session ended");
    JsonNode members = doc.path("members");
    assertThat(members).hasSize(3);
    assertThat(members.get(0).path("id").asText()).isEqualTo("n1");
    assertThat(members.get(0).path("address").asText()).isEqualTo("127.0.0.1:50051");
    assertThat(members.get(0).path("role").asText()).isEqualTo("replica");
    assertThat(members.get(0).path("durable_sequence").asLong()).isEqualTo(1040);
    assertThat(members.get(0).path("lag").asLong()).isEqualTo(2);
    assertThat(members.get(0).path("no_promote").asBoolean()).isFalse();
    assertThat(members.get(2).path("last_entry_epoch").asLong()).isEqualTo(2);
    assertThat(members.get(2).path("lag").asLong()).isEqualTo(142);
    assertThat(members.get(2).path("no_promote").asBoolean()).isTrue();
  }

  @Test
  void withoutAPrimaryItSaysSoNamingTheLastPrimaryAndTheBestCandidate() throws Exception {
    register(new MemberInfo("n1", "127.0.0.1:50051", "replica", 3, 3, 1040, false));
    register(new MemberInfo("n3", "127.0.0.1:50053", "replica", 3, 3, 1030, false));
    new EpochLedger(session).claimAtLeast(0, 3);
    new ClusterRecords(session)
        .writePrimary(new PrimaryRecord("n2", "127.0.0.1:50052", 3, 901, 1042, RECORD_AT));

    Run run = kevo("", "status", "--coordinator", zk.getConnectString(), "--cluster", "main");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "no primary: none of the 2 live members reports the primary role; the last primary"
                + " was n2 (127.0.0.1:50052, epoch 3), no longer registered; candidate: n1 (epoch"
                + " 3, durable sequence 1040) is the most up to date (lags 2 entries)")
        .containsPattern("leader +none \\(no member holds the leadership\\)")
        .containsPattern("last failover +none\n")
        // No primary to lag behind.
        .containsPattern("n1 +127\\.0\\.0\\.1:50051 +replica +3 +3 +1040 +- +no\n");

    JsonNode doc =
        JSON.readTree(
            kevo(
                    "",
                    "status",
                    "--json",
                    "--coordinator",
                    zk.getConnectString(),
                    "--cluster",
                    "main")
                .out());
    assertThat(doc.path("primary").isNull()).isTrue();
    assertThat(doc.path("leader").isNull()).isTrue();
    assertThat(doc.path("last_failover").isNull()).isTrue();
    assertThat(doc.path("no_primary").asText())
        .startsWith("no primary: none of the 2 live members");
    assertThat(doc.path("members").get(0).path("lag").isNull()).isTrue();
  }

  @Test
  void anEmptyClusterAsksWhetherTheNameIsRight() {
    Run run = kevo("", "status", "--coordinator", zk.getConnectString(), "--cluster", "typo");

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .contains(
            "no primary: no member is registered and no term was ever claimed (is the cluster"
                + " name right?)")
        .contains("Members (0)");
  }

  @Test
  void aShardedClusterIsSentToClusterStatus() {
    new ShardMapStore(session).create(ShardMap.even(4));

    Run run = kevo("", "status", "--coordinator", zk.getConnectString(), "--cluster", "main");

    assertThat(run.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "error: cluster main is sharded (4 shards, shard map version 1): kevo cluster status"
                + " --coordinator "
                + zk.getConnectString()
                + " --cluster main shows its shards\n");
  }

  @Test
  void anUnreachableCoordinatorIsOneLineAndStatusTwo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String dead = "127.0.0.1:" + port;
    long start = System.nanoTime();

    Run run = kevo("", "status", "--coordinator", dead, "--cluster", "main");

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("error: cannot reach the coordinator " + dead + " within 5 s")
        .hasLineCount(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void aCoordinatorHostThatDoesNotResolveIsOneLine() {
    Run run =
        kevo(
            "",
            "status",
            "--coordinator",
            zk.getConnectString() + ",no-such-host.invalid:2181",
            "--cluster",
            "main");

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.err())
        .isEqualTo(
            "error: cannot resolve the coordinator's host 'no-such-host.invalid'"
                + System.lineSeparator());
  }

  @Test
  void coordinatorOptionsAreCheckedAsUsageErrors() {
    String zkAddress = zk.getConnectString();
    assertThat(kevo("", "status", "--coordinator", zkAddress).err())
        .isEqualTo(
            "error: --coordinator and --cluster go together: give both. Run 'kevo status --help'"
                + " for usage."
                + System.lineSeparator());
    assertThat(kevo("", "status", "--cluster", "main").status()).isEqualTo(ExitCodes.FATAL);
    assertThat(
            kevo("", "status", "127.0.0.1:50051", "--coordinator", zkAddress, "--cluster", "m")
                .err())
        .startsWith("error: give either a server's HOST:PORT or --coordinator, not both.")
        .hasLineCount(1);
    Run badCluster = kevo("", "status", "--coordinator", zkAddress, "--cluster", "no/slash");
    assertThat(badCluster.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(badCluster.err()).contains("cluster name must be").hasLineCount(1);
    Run badEnsemble = kevo("", "status", "--coordinator", "nowhere", "--cluster", "main");
    assertThat(badEnsemble.err())
        .contains("coordinator must be HOST:PORT[,HOST:PORT...], got 'nowhere'")
        .hasLineCount(1);
  }

  private void register(MemberInfo member) {
    MemberRegistry registry = MemberRegistry.register(session, member);
    open.add(registry);
    assertThat(registry.awaitRegistered(Duration.ofSeconds(10))).isTrue();
  }

  private void elect(String id) {
    LeaderElection election =
        LeaderElection.bid(
            session,
            id,
            new LeaderElection.Listener() {
              @Override
              public void gained() {}

              @Override
              public void lost() {}
            });
    open.add(election);
    await().atMost(Duration.ofSeconds(10)).until(election::hasLeadership);
  }
}
