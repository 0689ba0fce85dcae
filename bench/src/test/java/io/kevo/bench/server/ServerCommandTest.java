package io.kevo.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.BenchMain;
import io.kevo.bench.report.Json;
import io.kevo.bench.run.ChildJvm;
import io.kevo.engine.KevoDB;
import io.kevo.server.Dispatch;
import io.kevo.server.KevoServer;
import io.kevo.server.ServerOptions;
import io.kevo.server.TlsOptions;
import io.kevo.testkit.TestCertificates;
import io.kevo.wire.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
  private static final List<String> FIELDS =
      List.of(
          "calls",
          "ops",
          "ops_per_sec",
          "calls_per_sec",
          "p50_us",
          "p99_us",
          "cpu_s",
          "cpu_cores",
          "cpu_us_per_op",
          "ops_per_sec_runs");

  @TempDir Path tmp;

  @Test
  void startedServerAndEmbeddedEngineReportEveryPhaseWithCpuAndBars() throws Exception {
    Path json = tmp.resolve("out/server.json");
    Path data = tmp.resolve("data");

    int exit =
        BenchMain.execute(
            "server",
            "--preload=500",
            "--clients=1,16",
            "--duration=0.3",
            "--warmup=0.1",
            "--jit-warmup=0.2",
            "--heap=256m",
            "--json=" + json,
            "--dir=" + data);

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    assertThat(report).containsEntry("benchmark", "server").containsKeys("date", "machine");
    assertThat(asMap(report.get("config")))
        .containsEntry("preload_keys", 500L)
        .containsEntry("batch_size", 100L)
        .containsEntry("server_started_by_bench", true)
        .containsEntry("server_dispatch", "EVENT_LOOP")
        .containsEntry("api", "stub")
        .containsEntry("mode", "async");
    List<?> results = (List<?>) asMap(report.get("results")).get("phases");
    assertThat(results).hasSize(8); // 4 workloads x 2 concurrencies
    long calls = 0;
    for (Object o : results) {
      Map<String, Object> row = asMap(o);
      String label = row.get("workload") + "/" + row.get("clients");
      // A 0.3 s window on a busy machine may see no call complete: then there is no ratio.
      assertThat(row).containsKey("server_over_embedded_ops");
      for (String side : List.of("server", "embedded")) {
        Map<String, Object> r = asMap(row.get(side));
        assertThat(r).as(label + " " + side).containsKeys(FIELDS.toArray(String[]::new));
        assertThat(number(r, "ops_per_sec").doubleValue()).as(label).isNotNegative();
        calls += number(r, "calls").longValue();
        assertThat(number(r, "p50_us").doubleValue())
            .isLessThanOrEqualTo(number(r, "p99_us").doubleValue());
        assertThat(number(r, "cpu_s").doubleValue()).as(label + " cpu").isNotNegative();
        if (row.get("workload").equals("get")) {
          assertThat(r.get("found"))
              .as("every get finds a preloaded key")
              .isEqualTo(r.get("calls"));
        }
        if (row.get("workload").equals("batch")) {
          assertThat(number(r, "ops").longValue()).isEqualTo(100 * number(r, "calls").longValue());
          assertThat(r).containsKey("batches_per_sec");
        }
      }
      assertThat(asMap(row.get("server")).get("driver_cpu_s")).isInstanceOf(Number.class);
    }
    assertThat(calls).isPositive();
    List<?> bars = (List<?>) report.get("bars");
    assertThat(bars).hasSize(3);
    bars.forEach(b -> assertThat(asMap(b).get("met")).isInstanceOf(Boolean.class));
    assertThat(report.get("bars_met")).isInstanceOf(Boolean.class);
    try (var left = Files.list(data)) {
      assertThat(left).as("databases are deleted after the run").isEmpty();
    }
  }

  @Test
  void aTargetIsLoadedThroughTheClientWithCpuOnlyWhenItsPidIsGiven() throws Exception {
    try (KevoServer server =
        KevoServer.start(
            KevoDB.open(tmp.resolve("node")),
            ServerOptions.builder().listen("127.0.0.1", 0).dispatch(Dispatch.POOL).build())) {
      String target = "127.0.0.1:" + server.port();
      Path noPid = tmp.resolve("no-pid.json");
      Path withPid = tmp.resolve("with-pid.json");
      List<String> common =
          List.of(
              "server",
              "--target=" + target,
              "--no-embedded",
              "--api=client",
              "--mode=blocking",
              "--workloads=get,put",
              "--clients=2",
              "--preload=200",
              "--duration=0.3",
              "--warmup=0.1",
              "--jit-warmup=0",
              "--dir=" + tmp.resolve("d"));

      int exit1 = BenchMain.execute(with(common, "--json=" + noPid));
      int exit2 =
          BenchMain.execute(
              with(common, "--json=" + withPid, "--server-pid=" + ProcessHandle.current().pid()));

      assertThat(exit1).isZero();
      assertThat(exit2).isZero();
      Map<String, Object> get = asMap(asMap(first(noPid)).get("server"));
      assertThat(get.get("cpu_s")).as("a target's CPU is unknown without its pid").isNull();
      assertThat(get.get("driver_cpu_s")).isInstanceOf(Number.class);
      assertThat(get.get("found")).isEqualTo(get.get("calls"));
      Map<String, Object> getWithPid = asMap(asMap(first(withPid)).get("server"));
      assertThat(number(getWithPid, "cpu_s").doubleValue()).isNotNegative();
      Map<String, Object> report = Json.parseObject(Files.readString(noPid));
      assertThat(report.get("bars_met")).as("16 clients did not run").isNull();
      assertThat(asMap(report.get("config")))
          .containsEntry("target", target)
          .containsEntry("api", "client")
          .containsEntry("mode", "blocking");
      assertThat(
              asMap(((List<?>) asMap(report.get("results")).get("phases")).get(0)).get("embedded"))
          .isNull();
    }
  }

  @Test
  void aTargetThatRequiresClientCertificatesIsLoadedOverMutualTls() throws Exception {
    Path certs = tmp.resolve("certs");
    TestCertificates.Authority ca = TestCertificates.authority("bench CA", certs, "ca");
    TestCertificates.Issued node = ca.issue("node", certs, "node");
    TestCertificates.Issued bench = ca.issue("bench", certs, "bench");
    try (KevoServer server =
        KevoServer.start(
            KevoDB.open(tmp.resolve("tls-node")),
            ServerOptions.builder()
                .listen("127.0.0.1", 0)
                .tls(
                    TlsOptions.server(node.certFile(), node.keyFile())
                        .withClientAuth(ca.certFile(), TlsFiles.ClientAuth.REQUIRE))
                .build())) {
      Path json = tmp.resolve("tls.json");
      for (String api : new String[] {"stub", "client"}) {
        int exit =
            BenchMain.execute(
                List.of(
                        "server",
                        "--target=127.0.0.1:" + server.port(),
                        "--tls-ca=" + ca.certFile(),
                        "--tls-cert=" + bench.certFile(),
                        "--tls-key=" + bench.keyFile(),
                        "--no-embedded",
                        "--api=" + api,
                        "--mode=blocking",
                        "--workloads=get,put",
                        "--clients=2",
                        "--preload=100",
                        "--duration=0.3",
                        "--warmup=0.1",
                        "--jit-warmup=0",
                        "--dir=" + tmp.resolve("d-" + api),
                        "--json=" + json)
                    .toArray(String[]::new));
        assertThat(exit).as(api).isZero();
        Map<String, Object> get = asMap(asMap(first(json)).get("server"));
        assertThat(number(get, "calls").longValue()).as(api).isPositive();
        assertThat(get.get("found")).as(api).isEqualTo(get.get("calls"));
      }
    }
  }

  @Test
  void workloadOptionsSurviveTheTripToTheEmbeddedChild() {
    LoadParams p =
        new LoadParams(
            List.of(RequestKind.BATCH, RequestKind.GET),
            List.of(64, 2),
            1.5,
            0.25,
            3,
            12345,
            false,
            24,
            50,
            10,
            99);
    EmbeddedWorkerCommand child = new EmbeddedWorkerCommand();

    new CommandLine(child).parseArgs("--dir=/nowhere", ChildJvm.paramsArg(p));

    assertThat(child.params()).isEqualTo(p);
  }

  @Test
  void badWorkloadOptionsAndTargetsAreRefused() {
    Path d = tmp.resolve("x");
    assertThat(BenchMain.execute("server", "--workloads=get,get", "--dir=" + d)).isNotZero();
    assertThat(BenchMain.execute("server", "--workloads=scan", "--dir=" + d)).isNotZero();
    assertThat(BenchMain.execute("server", "--clients=0", "--dir=" + d)).isNotZero();
    assertThat(BenchMain.execute("server", "--target=nohost", "--dir=" + d)).isNotZero();
    assertThat(BenchMain.execute("server", "--api=rest", "--dir=" + d)).isNotZero();
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new java.util.ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static Object first(Path json) throws Exception {
    return ((List<?>) asMap(Json.parseObject(Files.readString(json)).get("results")).get("phases"))
        .get(0);
  }

  private static Number number(Map<String, Object> m, String key) {
    assertThat(m.get(key)).as(key).isInstanceOf(Number.class);
    return (Number) m.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }
}
