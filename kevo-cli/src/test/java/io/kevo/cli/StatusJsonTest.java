package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kevo.cli.InProcessKevo.Run;
import io.kevo.engine.KevoDB;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.LatencyStats;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kevo status --json}: a document scripts can parse, with nulls for absent figures. */
class StatusJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void statusJsonOfARunningServerParsesBackWithItsCounters() throws Exception {
    try (KevoServer server =
        KevoServer.start(
            KevoDB.open(dir), ServerOptions.builder().listen("127.0.0.1", 0).build())) {
      kevo("PUT a 1\nPUT b 2\nGET a\n", "shell", "--connect", server.address());

      Run run = kevo("", "status", "--json", server.address());

      assertThat(run.status()).isZero();
      assertThat(run.err()).isEmpty();
      JsonNode doc = JSON.readTree(run.out());
      assertThat(doc.path("endpoint").asText()).isEqualTo(server.address());
      assertThat(doc.path("node").path("role").asText()).isEqualTo("STANDALONE");
      assertThat(doc.path("node").path("last_sequence").asLong()).isEqualTo(2);
      assertThat(doc.path("node").path("primary").isNull()).isTrue();
      assertThat(doc.path("storage").path("keys").asLong()).isEqualTo(2);
      assertThat(doc.path("storage").path("storage_bytes").isIntegralNumber()).isTrue();
      // No flush yet: no figure rather than a meaningless one.
      assertThat(doc.path("storage").path("write_amplification").isNull()).isTrue();
      assertThat(doc.path("storage").path("write_refusal").isNull()).isTrue();
      assertThat(doc.path("operations").path("Put").path("calls").asLong()).isEqualTo(2);
      assertThat(doc.path("operations").path("Put").path("max_ns").asLong()).isPositive();
      assertThat(doc.path("replication").path("epoch").isIntegralNumber()).isTrue();
    }
  }

  @Test
  void replicationFiguresAreTypedAndMissingStatisticsAreNull() throws Exception {
    GetNodeInfoResponse info =
        GetNodeInfoResponse.newBuilder()
            .setNodeRole(GetNodeInfoResponse.NodeRole.REPLICA)
            .setPrimaryAddress("127.0.0.1:50051")
            .putReplication("state", "BOOTSTRAPPING")
            .putReplication("needs_bootstrap", "true")
            .putReplication("bootstrap_bytes_done", "1048576")
            .putReplication("compression_ratio", "0.500")
            .build();

    JsonNode doc = JSON.readTree(StatusJson.render("127.0.0.1:50052", info, null));

    assertThat(doc.path("node").path("primary").asText()).isEqualTo("127.0.0.1:50051");
    JsonNode replication = doc.path("replication");
    assertThat(replication.path("state").asText()).isEqualTo("BOOTSTRAPPING");
    assertThat(replication.path("needs_bootstrap").isBoolean()).isTrue();
    assertThat(replication.path("bootstrap_bytes_done").asLong()).isEqualTo(1_048_576);
    assertThat(replication.path("compression_ratio").asDouble()).isEqualTo(0.5);
    assertThat(doc.path("storage").isNull()).isTrue();
    assertThat(doc.path("operations").isNull()).isTrue();
  }

  @Test
  void afterAFlushWriteAmplificationIsANumberAndFailuresAreCountedByCode() throws Exception {
    GetStatsResponse stats =
        GetStatsResponse.newBuilder()
            .setFlushCount(1)
            .setWriteAmplification(3.4444444444444446)
            .putOperationCounts("Get", 3)
            .putLatencyStats(
                "Get",
                LatencyStats.newBuilder().setCount(3).setAvgNs(10).setMinNs(5).setMaxNs(20).build())
            .putErrorCounts("NOT_FOUND", 2)
            .setWriteRefusal("no space left on device")
            .build();

    JsonNode doc =
        JSON.readTree(StatusJson.render("h:1", GetNodeInfoResponse.getDefaultInstance(), stats));

    assertThat(doc.path("storage").path("write_amplification").asDouble())
        .isEqualTo(3.4444444444444446);
    assertThat(doc.path("storage").path("write_refusal").asText())
        .isEqualTo("no space left on device");
    assertThat(doc.path("failed_calls").path("NOT_FOUND").asLong()).isEqualTo(2);
    assertThat(doc.path("operations").path("Get").path("min_ns").asLong()).isEqualTo(5);

    // The tables say the same in human units.
    String text = StatusCommand.render("h:1", GetNodeInfoResponse.getDefaultInstance(), stats);
    assertThat(text)
        .containsPattern("write amplification +3\\.44\n")
        .containsPattern("writes +REFUSED: no space left on device\n")
        .containsPattern("Failed calls\n  NOT_FOUND +2\n");
  }
}
