package io.kevo.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerReportTest {
  private static final LoadParams PARAMS =
      new LoadParams(
          List.of(RequestKind.GET, RequestKind.PUT, RequestKind.BATCH),
          List.of(1, 16),
          2,
          1,
          0,
          1000,
          true,
          16,
          100,
          100,
          7);

  @Test
  void judgesTheThreeBarsAtSixteenClients() {
    SideResult server =
        side(
            "server",
            phase("get", 16, 1, 90_000, 2.0), // 45,000 gets/s
            phase("put", 16, 1, 50_000, 2.0), // 25,000 puts/s
            phase("batch", 16, 100, 2_000, 2.0)); // 100,000 ops/s
    SideResult embedded =
        side(
            "embedded",
            phase("get", 16, 1, 2_000_000, 2.0),
            phase("put", 16, 1, 600_000, 2.0),
            phase("batch", 16, 100, 3_000, 2.0)); // 150,000 ops/s

    ServerReport report = new ServerReport(PARAMS, Map.of(), List.of(server), List.of(embedded));

    BenchReport bench = report.report("./kevo-bench server");
    List<Bar> bars = bench.bars();
    assertThat(bars).extracting(Bar::met).containsExactly(true, false, true);
    assertThat(bars.get(0).value()).isEqualTo(45_000.0);
    assertThat(bars.get(2).value()).isEqualTo(100_000.0 / 150_000.0);
    assertThat(bench.barsMet()).isFalse();
    assertThat(report.row(RequestKind.GET, 1).server()).isNull();
    assertThat(bench.text())
        .contains("server gets/s with 16 concurrent clients (>= 40,000 ops/s): 45,000 ops/s -> MET")
        .contains("25,000 ops/s -> NOT MET")
        .contains("0.667x -> MET");
    Map<String, Object> json = bench.json();
    assertThat(json)
        .containsEntry("bars_met", false)
        .containsEntry("command", "./kevo-bench server")
        .containsKeys("machine", "config", "results");
    assertThat(((Map<?, ?>) json.get("results")).keySet().stream().map(Object::toString))
        .containsExactly("phases", "server_runs", "embedded_runs");
  }

  @Test
  void aBarWithoutItsPhaseIsNotJudged() {
    SideResult server = side("server", phase("get", 1, 1, 10_000, 1.0));

    ServerReport report = new ServerReport(PARAMS, Map.of(), List.of(server), List.of());

    BenchReport bench = report.report("./kevo-bench server");
    assertThat(bench.bars()).extracting(Bar::met).containsOnlyNulls();
    assertThat(bench.barsMet()).isNull();
    assertThat(bench.text()).contains("-> n/a (not measured)");
    assertThat(report.row(RequestKind.GET, 1).ratio()).isNull();
  }

  @Test
  void eachRowShowsTheRunWithTheMedianOpsAndKeepsEveryRun() {
    List<SideResult> runs = new ArrayList<>();
    for (long calls : new long[] {30_000, 10_000, 20_000}) {
      runs.add(side("server", phase("put", 16, 1, calls, 1.0)));
    }

    ServerReport report = new ServerReport(PARAMS, Map.of(), runs, List.of());

    ServerReport.Row row = report.row(RequestKind.PUT, 16);
    assertThat(row.server().calls()).isEqualTo(20_000);
    assertThat(row.serverRuns()).containsExactly(30_000.0, 10_000.0, 20_000.0);
    assertThat(Figures.median(List.<PhaseStats>of(), PhaseStats::opsPerSec)).isNull();
  }

  @Test
  void phaseStatsSurviveTheChildsJsonLineAndDeriveCpuPerOperation() {
    PhaseStats p = phase("batch", 64, 100, 1_000, 2.0);

    PhaseStats back = Json.read(Json.compact(p), PhaseStats.class);

    assertThat(back).isEqualTo(p);
    assertThat(p.opsPerSec()).isEqualTo(50_000.0);
    assertThat(p.callsPerSec()).isEqualTo(500.0);
    assertThat(p.cpuCores()).isEqualTo(0.5);
    assertThat(p.cpuUsPerOp()).isEqualTo(10.0); // 1 s of CPU over 100,000 ops
    assertThat(p.toJson()).containsEntry("ops", 100_000L);
  }

  private static PhaseStats phase(
      String workload, int clients, int opsPerCall, long calls, double seconds) {
    return new PhaseStats(
        workload,
        clients,
        opsPerCall,
        calls,
        workload.equals("get") ? calls : 0,
        seconds,
        new PhaseStats.Latency(10, 100, 1000, 20, 5000),
        seconds / 2,
        seconds / 8,
        seconds / 4,
        0);
  }

  private static SideResult side(String name, PhaseStats... phases) {
    return new SideResult(name, 1000, 10, 20, List.of(phases), 100);
  }
}
