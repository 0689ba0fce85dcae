package io.kevo.bench.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.BenchMain;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Json;
import io.kevo.bench.report.LatencyHistogram;
import io.kevo.wire.AckLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SafetyCommandTest {
  @TempDir Path tmp;

  @Test
  void defaultsAreTheIssuesSetup() {
    SafetyCommand cmd = new SafetyCommand();
    new CommandLine(cmd).parseArgs();

    SafetyParams p = cmd.params();

    assertThat(p.phases()).containsExactlyInAnyOrder("acks", "ryw", "bootstrap");
    assertThat(p.levels()).containsExactly(AckLevel.ASYNC, AckLevel.replica(1), AckLevel.ALL);
    assertThat(p.replicas()).isEqualTo(2);
    assertThat(p.clients()).isEqualTo(16);
    assertThat(p.bootstrapKeys()).isEqualTo(1_000_000);
    assertThat(p.bootstrapValueSize()).isEqualTo(100);
    assertThat(p.rywRates()).containsExactly(0.0, 5000.0);
  }

  @Test
  void rejectsWhatCannotBeRun() {
    assertThat(BenchMain.execute("safety", "--phases=warp")).isNotZero();
    assertThat(BenchMain.execute("safety", "--levels=quorum")).isNotZero();
    assertThat(BenchMain.execute("safety", "--levels=all,all")).isNotZero();
    // replica:3 cannot be met by 2 replicas: every put would time out.
    assertThat(BenchMain.execute("safety", "--levels=replica:3")).isNotZero();
    assertThat(BenchMain.execute("safety", "--ryw-rates=-1")).isNotZero();
    assertThat(BenchMain.execute("safety", "--bootstrap-keys=0")).isNotZero();
  }

  @Test
  void bootstrapLogReadsTheHeaderAndTheInstalledLineOfTheReplica() {
    AtomicLong clock = new AtomicLong(1_000);
    BootstrapLog log = new BootstrapLog(clock::get);

    log.accept("[main] INFO io.kevo.server.KevoServer - serving");
    clock.set(5_000);
    log.accept(
        "[kevo-replica-apply] INFO io.kevo.replication.SnapshotFetch - replica r-1: bootstrapping"
            + " from snapshot snap-7 at sequence 1000000: 3 files, 118000000 bytes; reads are"
            + " refused until it is installed");
    clock.set(9_000);
    log.accept(
        "[kevo-replica-apply] INFO io.kevo.replication.SnapshotFetch - replica r-1: bootstrap"
            + " snap-7 installed: sequence 1000000, 118000000 bytes in 886 ms; streaming from"
            + " 1000001");
    clock.set(12_000);
    log.accept("replica r-2: bootstrap snap-8 installed: sequence 5, 10 bytes in 1 ms");

    assertThat(log.started()).isEqualTo(new BootstrapLog.Started(5_000, 1_000_000, 3, 118_000_000));
    assertThat(log.installed())
        .as("the first installed line counts")
        .isEqualTo(new BootstrapLog.Installed(9_000, 1_000_000, 118_000_000, 886));
  }

  @Test
  void bootstrapLogWithoutASnapshotHasNoFigures() {
    BootstrapLog log = new BootstrapLog(System::nanoTime);

    log.accept("replica r-1: stopped at sequence 50000 (durable 50000)");

    assertThat(log.started()).isNull();
    assertThat(log.installed()).isNull();
  }

  @Test
  void reportComparesEachLevelWithTheStandaloneMedianAndJudgesTheBootstrapBar() {
    SafetyCommand cmd = new SafetyCommand();
    new CommandLine(cmd).parseArgs("--repeat=3");
    SafetyParams p = cmd.params();
    List<AckRun> acks =
        List.of(
            ack("standalone", 100_000, 0),
            ack("standalone", 60_000, 0),
            ack("standalone", 80_000, 0),
            ack("async", 40_000, 0),
            ack("replica:1", 20_000, 0),
            ack("all", 16_000, 3));
    BootstrapResult boot =
        new BootstrapResult(
            1_000_000,
            16,
            100,
            10,
            500,
            1_000,
            900,
            List.of(boot(0, 2_500, 1), boot(1, 1_900, 1), boot(2, 1_500, 1)));

    SafetyReport report =
        new SafetyReport(p, "./kevo-bench safety", Map.of(), acks, List.of(), boot);

    assertThat(report.median("standalone").opsPerSec()).isEqualTo(80_000);
    assertThat(report.overStandalone("async")).isEqualTo(0.5);
    assertThat(report.overStandalone("all")).isEqualTo(0.2);
    assertThat(boot.median().run()).isEqualTo(1);
    assertThat(report.bootstrapBar().met()).isTrue();
    BenchReport bench = report.report();
    assertThat(bench.text())
        .contains("replica:1")
        .contains("0.250x")
        .contains(
            "brand-new replica: process start to caught up (median run) (<= 2,100.00 ms):"
                + " 1,900.00 ms -> MET");
    Map<String, Object> results = map(bench.json().get("results"));
    assertThat(map(map(results.get("acks")).get("all"))).containsEntry("over_standalone", 0.2);
    assertThat(map(map(map(results.get("acks")).get("all")).get("median")))
        .containsEntry("unconfirmed", 3L);
    assertThat(bench.json()).containsEntry("bars_met", true);
  }

  @Test
  void aReplicaThatCaughtUpWithoutASnapshotDoesNotMeetTheBootstrapBar() {
    SafetyCommand cmd = new SafetyCommand();
    new CommandLine(cmd).parseArgs();
    BootstrapResult boot =
        new BootstrapResult(50_000, 16, 100, 1, 100, 50_000, 1, List.of(boot(0, 800, 0)));

    SafetyReport report = new SafetyReport(cmd.params(), "x", Map.of(), List.of(), List.of(), boot);

    assertThat(report.bootstrapBar().met()).isFalse();
    assertThat(report.report().text()).contains("NOT MET (no snapshot: it caught up from the log)");
  }

  @Test
  void rywResultPoolsTheProbesAndCountsOutcomes() {
    RywProbe.Result a = probe("replica1", 300_000, 100_000, 2, 0, 5);
    RywProbe.Result b = probe("replica2", 500_000, 200_000, 0, 1, 7);

    RywResult r =
        new RywResult(5_000, 4_900, 10, List.of(a, b), Map.of("read_waits", 9L), Map.of(), 1);

    assertThat(r.ryw().count()).isEqualTo(2);
    assertThat(r.unavailable()).isEqualTo(2);
    assertThat(r.stale()).isEqualTo(1);
    assertThat(r.missed()).isEqualTo(12);
    Map<String, Object> json = r.toJson();
    assertThat(map(json.get("ryw_get"))).containsEntry("samples", 2L);
    assertThat(json).containsEntry("ryw_unavailable", 2L).containsEntry("plain_missed", 12L);
  }

  @Test
  void smallRunReportsEveryPhase() throws Exception {
    Path json = tmp.resolve("out/safety.json");

    int exit =
        BenchMain.execute(
            "safety",
            "--replicas=1",
            "--levels=replica:1",
            "--clients=4",
            "--duration=0.5",
            "--warmup=0.3",
            "--ryw-rates=0",
            "--bootstrap-keys=2000",
            "--heap=256m",
            "--dir=" + tmp.resolve("data"),
            "--json=" + json);

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    assertThat(report)
        .containsEntry("benchmark", "safety")
        .containsKeys("date", "machine", "command", "config", "bars", "bars_met");
    Map<String, Object> results = map(report.get("results"));
    Map<String, Object> acks = map(results.get("acks"));
    long puts = 0;
    for (String side : List.of("standalone", "replica:1")) {
      Map<String, Object> med = map(map(acks.get(side)).get("median"));
      // A short window on a busy machine may complete no put on one side; all of them, some.
      puts += ((Number) med.get("ops")).longValue();
      assertThat(med).as(side).containsKeys("p50_us", "p99_us", "unconfirmed", "cpu_cores");
    }
    assertThat(puts).isPositive();
    Map<String, Object> replica1 = map(map(acks.get("replica:1")).get("median"));
    // Every replica:1 put waited for the replica's acknowledgement.
    assertThat(((Number) map(replica1.get("ack_counters")).get("ack_waits")).longValue())
        .isGreaterThanOrEqualTo(((Number) replica1.get("ops")).longValue());
    Map<String, Object> ryw = map(((List<?>) results.get("ryw")).get(0));
    assertThat(((Number) map(ryw.get("ryw_get")).get("samples")).longValue()).isPositive();
    assertThat(ryw).containsEntry("ryw_stale", 0L);
    Map<String, Object> boot = map(results.get("bootstrap"));
    assertThat(boot).containsEntry("keys", 2000L);
    Map<String, Object> run = map(((List<?>) boot.get("runs")).get(0));
    assertThat(((Number) run.get("caught_up_ms")).doubleValue())
        .isGreaterThanOrEqualTo(((Number) run.get("serving_ms")).doubleValue());
    assertThat(Files.list(tmp.resolve("data"))).as("data directories removed").isEmpty();
  }

  private static AckRun ack(String side, long opsPerSec, long unconfirmed) {
    return new AckRun(
        side,
        0,
        opsPerSec * 10,
        opsPerSec * 10 - unconfirmed,
        10,
        200,
        900,
        2_000,
        5_000,
        Map.of("primary", 1.0),
        Map.of("primary", 0.05),
        0.1,
        List.of(),
        null,
        Map.of(),
        0.5);
  }

  private static BootstrapRun boot(int run, double caughtUpMs, long bootstraps) {
    return new BootstrapRun(
        run,
        500,
        bootstraps > 0 ? 700.0 : null,
        bootstraps > 0 ? caughtUpMs - 100 : null,
        bootstraps > 0 ? caughtUpMs - 90 : null,
        caughtUpMs,
        bootstraps > 0 ? 886L : null,
        bootstraps > 0 ? 1_000L : null,
        bootstraps > 0 ? 3 : null,
        bootstraps > 0 ? 118_000_000L : null,
        bootstraps,
        0,
        0,
        1.5,
        0.5);
  }

  private static RywProbe.Result probe(
      String name, long rywNanos, long plainNanos, int unavailable, long stale, long missed) {
    LatencyHistogram ryw = new LatencyHistogram();
    ryw.record(rywNanos);
    LatencyHistogram plain = new LatencyHistogram();
    plain.record(plainNanos);
    LatencyHistogram refused = new LatencyHistogram();
    for (int i = 0; i < unavailable; i++) {
      refused.record(1_000_000_000L);
    }
    return new RywProbe.Result(name, ryw, plain, new LatencyHistogram(), refused, stale, missed);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
