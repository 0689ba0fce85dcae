package io.kevo.cli.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.kevo.client.ClientOptions;
import io.kevo.client.ClientTransaction;
import io.kevo.client.KevoClient;
import io.kevo.client.ReadPreference;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetStatsRequest;
import io.kevo.wire.PrimarySide;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's {@code KevoClient} snippets, run as written against a primary with a replica (two
 * {@code kevo server} processes). The code between each {@code // README:begin NAME} and {@code //
 * README:end NAME} comment below is the snippet: {@link #readmeShowsTheseSnippetsVerbatim()} checks
 * that README.md holds exactly those lines, so the README cannot drift from what runs here.
 *
 * <p>Each snippet runs 2,000 times on a fresh key, each time with a new client, as a program
 * started 2,000 times would. Before its put a key has no value on any node, so a get that returns a
 * value ({@code orElseThrow()} throws otherwise) returns the value just put: every get must see its
 * put.
 */
// About 80 s a test on a busy two-core machine: each round connects a new client.
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ReadmeClientSnippetIT extends ClusterFixture {
  private static final int ROUNDS = 2_000;
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);

  private ReplicationCluster.Node primary;
  private ReplicationCluster.Node replica;

  @BeforeEach
  void startPrimaryWithAReplica() throws IOException {
    primary = cluster.startPrimary("primary");
    replica = cluster.startReplica("replica", primary.address());
    await()
        .atMost(CONVERGENCE)
        .until(() -> primary.primaryFigure(PrimarySide::connectedReplicas) == 1);
  }

  @Test
  void theDefaultSnippetReadsEveryPutBack() {
    String address = primary.address();
    for (int i = 0; i < ROUNDS; i++) {
      byte[] key = ("user:" + i).getBytes(UTF_8);
      byte[] value = ("Ada " + i).getBytes(UTF_8);
      byte[] other = ("Grace " + i).getBytes(UTF_8);
      // README:begin client
      try (KevoClient client = KevoClient.connect(address)) {
        client.put(key, value);
        byte[] v = client.get(key).orElseThrow(); // the value just put: you read your own writes
        try (ClientTransaction tx = client.beginTransaction(false)) {
          tx.put(key, other);
          tx.commit(); // TransactionConflictException if another writer got there first
        }
      }
      // README:end client
    }
    cluster.awaitConverged(CONVERGENCE, primary, replica);
    for (int i = 0; i < ROUNDS; i += 97) {
      assertThat(valueOn(primary, "user:" + i))
          .as("user:%d after its transaction", i)
          .isEqualTo("Grace " + i);
    }
  }

  @Test
  void theReplicaReadsSnippetReadsEveryPutBackFromTheReplicas() {
    String address = primary.address();
    long replicaGetsBefore = gets(replica);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] key = ("order:" + i).getBytes(UTF_8);
      byte[] value = ("shipped " + i).getBytes(UTF_8);
      // README:begin replica-reads
      ClientOptions options =
          ClientOptions.builder()
              .endpoint(address)
              .readPreference(ReadPreference.REPLICA_PREFERRED) // spread reads over the replicas
              .build();
      try (KevoClient client = KevoClient.connect(options)) {
        client.put(key, value);
        byte[] v = client.get(key).orElseThrow(); // still your own write, from a replica
      }
      // README:end replica-reads
    }
    // The replica served reads (it held those it had not applied yet, or refused them and the
    // client read the primary): the snippet really read from a replica.
    assertThat(gets(replica) - replicaGetsBefore).as("gets the replica served").isPositive();
  }

  @Test
  void readmeShowsTheseSnippetsVerbatim() throws IOException {
    Path source = Path.of("src/test/java/io/kevo/cli/repl/ReadmeClientSnippetIT.java");
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String name : List.of("client", "replica-reads")) {
      String snippet = snippet(Files.readAllLines(source), name);
      assertThat(snippet).as("snippet %s in this file", name).isNotBlank();
      assertThat(readme).as("README.md shows snippet %s verbatim", name).contains(snippet);
    }
  }

  /** The lines between the markers of {@code name}, without their common indentation. */
  private static String snippet(List<String> lines, String name) {
    List<String> body = new ArrayList<>();
    boolean in = false;
    for (String line : lines) {
      String t = line.strip();
      if (t.equals("// README:begin " + name)) {
        in = true;
      } else if (t.equals("// README:end " + name)) {
        break;
      } else if (in) {
        body.add(line);
      }
    }
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String l : body) {
      out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return out.toString();
  }

  private static String valueOn(ReplicationCluster.Node node, String key) {
    return node.stub()
        .get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
        .getValue()
        .toStringUtf8();
  }

  private static long gets(ReplicationCluster.Node node) {
    return node.stub()
        .getStats(GetStatsRequest.getDefaultInstance())
        .getOperationCountsMap()
        .getOrDefault("Get", 0L);
  }
}
