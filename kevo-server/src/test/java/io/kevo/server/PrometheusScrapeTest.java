package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, Debian package {@code prometheus}, which
 * {@code .ci/run} installs) scrapes a node every second with the alert rules of {@code
 * docs/prometheus} loaded, and answers a query for a Kevo metric. A missing Prometheus fails.
 */
class PrometheusScrapeTest extends LocalNodesFixture {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path RULES = Path.of("..", "docs", "prometheus", "kevo-rules.yml");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void prometheusScrapesANodeAndAnswersAQueryForItsPuts() throws Exception {
    assertThat(Files.isExecutable(PROMETHEUS))
        .as("%s (Debian package prometheus, installed by .ci/run)", PROMETHEUS)
        .isTrue();
    KevoServer node = node("node", ServerOptions.builder().metricsListen("127.0.0.1", 0));
    var stub =
        KevoServiceGrpc.newBlockingStub(channel(node)).withDeadlineAfter(30, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) {
      stub.put(PutRequest.newBuilder().setKey(b("k" + i)).setValue(b("v")).build());
    }

    Path home = Files.createDirectories(dir.resolve("prometheus"));
    Path config = home.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - " + RULES.toAbsolutePath().normalize(),
            "scrape_configs:",
            "  - job_name: kevo",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + node.metricsPort() + "']",
            ""));
    int webPort = freePort();
    Process prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + webPort)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("prometheus.log").toFile())
            .start();
    try {
      String base = "http://127.0.0.1:" + webPort;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(prometheus.isAlive()).as("prometheus running").isTrue();
                JsonNode result =
                    get(base
                            + "/api/v1/query?query="
                            + URLEncoder.encode(
                                "kevo_rpc_requests_total{job=\"kevo\",method=\"Put\",code=\"OK\"}",
                                StandardCharsets.UTF_8))
                        .path("data")
                        .path("result");
                assertThat(result).hasSize(1);
                assertThat(result.get(0).path("value").get(1).asDouble()).isEqualTo(50);
              });
      JsonNode groups = get(base + "/api/v1/rules").path("data").path("groups");
      assertThat(groups).as("the alert rules of %s loaded", RULES).isNotEmpty();
      assertThat(groups.get(0).path("rules")).isNotEmpty();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          e.getMessage() + "\nprometheus log:\n" + Files.readString(home.resolve("prometheus.log")),
          e);
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private JsonNode get(String uri) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", uri, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
