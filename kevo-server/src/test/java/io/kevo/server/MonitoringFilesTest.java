package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files of {@code docs/}: the alert rules pass {@code promtool check rules}, and
 * every metric the rules, the Grafana dashboard's panels and the Metrics section of OPERATIONS.md
 * name is one a primary or a replica exports.
 */
class MonitoringFilesTest extends LocalNodesFixture {
  static final Path RULES = Path.of("..", "docs", "prometheus", "kevo-rules.yml");
  static final Path DASHBOARD = Path.of("..", "docs", "grafana", "kevo-dashboard.json");
  static final Path OPERATIONS = Path.of("..", "docs", "OPERATIONS.md");
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:kevo|jvm|disk|process|system)_[a-zA-Z0-9_]*)\\b");
  private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*(.+)$");

  @Test
  void alertRulesPassPromtool() {
    Promtool.checkRules(RULES);
  }

  @Test
  void rulesAndDashboardNameOnlyMetricsTheNodesExport() throws Exception {
    Set<String> exported = exportedNames();

    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      JsonNode targets = panel.path("targets");
      assertThat(targets).as("panel '%s' has queries", panel.path("title").asText()).isNotEmpty();
      for (JsonNode t : targets) {
        String expr = t.path("expr").asText();
        assertThat(metricsIn(expr)).as("panel '%s': %s", panel.path("title"), expr).isNotEmpty();
        exprs.add(expr);
      }
    }
    assertThat(exprs).hasSizeGreaterThan(10);
    for (String line : Files.readAllLines(RULES)) {
      Matcher m = EXPR.matcher(line);
      if (m.matches()) {
        exprs.add(m.group(1));
      }
    }
    for (String expr : exprs) {
      assertThat(exported)
          .as("metrics the node exports, for %s", expr)
          .containsAll(metricsIn(expr));
    }
    String operations = Files.readString(OPERATIONS);
    String section =
        operations.substring(
            operations.indexOf("## Metrics"), operations.indexOf("## Backup and restore"));
    Set<String> documented = new TreeSet<>(metricsIn(section));
    documented.removeIf(n -> n.endsWith("_")); // jvm_memory_* and the like
    // Exported only while a bootstrap runs; MetricsEndpointTest holds one open and reads them.
    documented.removeAll(
        Set.of(
            "kevo_primary_bootstrap_transfer_sent_bytes",
            "kevo_primary_bootstrap_transfer_size_bytes"));
    assertThat(documented).hasSizeGreaterThan(20);
    assertThat(exported).as("metrics docs/OPERATIONS.md names").containsAll(documented);
  }

  private static Set<String> metricsIn(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The metric names a busy primary and its replica export, together. */
  private Set<String> exportedNames() {
    KevoServer primary =
        node(
            "primary",
            ServerOptions.builder().role(NodeRole.PRIMARY).metricsListen("127.0.0.1", 0));
    KevoServer replica =
        node(
            "replica",
            ServerOptions.builder()
                .role(NodeRole.REPLICA)
                .primaryAddress(primary.address())
                .metricsListen("127.0.0.1", 0));
    var p =
        KevoServiceGrpc.newBlockingStub(channel(primary)).withDeadlineAfter(30, TimeUnit.SECONDS);
    for (int i = 0; i < 20; i++) {
      p.put(PutRequest.newBuilder().setKey(b("k" + i)).setValue(b("v")).build());
      p.get(GetRequest.newBuilder().setKey(b("k" + i)).build());
    }
    assertThatThrownBy(() -> p.get(GetRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
    primary.db().flush(); // an SSTable, so that per-level meters exist
    long last = primary.db().latestSequence();
    await().atMost(Duration.ofSeconds(20)).until(() -> replica.db().latestSequence() == last);
    Set<String> names = new TreeSet<>(Exposition.scrape(primary.metricsPort()).names());
    names.addAll(Exposition.scrape(replica.metricsPort()).names());
    return names;
  }
}
