package io.kevo.bench.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kevo.bench.BenchMain;
import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Json;
import io.kevo.proto.replication.CompressionCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplicationCommandTest {
  @TempDir Path tmp;

  @Test
  void defaultsAreTheIssuesSetup() {
    ReplicationCommand cmd = new ReplicationCommand();
    new CommandLine(cmd).parseArgs();

    ReplicationParams p = cmd.params();

    assertThat(p.clients()).isEqualTo(16);
    assertThat(p.replicas()).isEqualTo(2);
    assertThat(p.valueSize()).isEqualTo(100);
    assertThat(p.codecs())
        .containsExactly(CompressionCodec.ZSTD, CompressionCodec.SNAPPY, CompressionCodec.NONE);
    assertThat(p.phases()).containsExactlyInAnyOrder("throughput", "cost", "lag", "catchup");
    assertThat(p.costRate()).as("60% of the replicated throughput").isZero();
    assertThat(p.catchupEntries()).isEqualTo(1_000_000);
    assertThat(p.catchupBatch()).isEqualTo(1);
    assertThat(p.lagRate()).isZero();
  }

  @Test
  void parsesCodecsAndPhasesInAnyCase() {
    ReplicationCommand cmd = new ReplicationCommand();
    new CommandLine(cmd)
        .parseArgs("--codecs=None,ZSTD", "--phases=LAG", "--lag-rate=500", "--replicas=1");

    ReplicationParams p = cmd.params();

    assertThat(p.mainCodec()).isEqualTo(CompressionCodec.NONE);
    assertThat(p.runs("lag")).isTrue();
    assertThat(p.runs("throughput")).isFalse();
  }

  @Test
  void rejectsWhatCannotBeRun() {
    assertThat(BenchMain.execute("replication", "--codecs=lz4")).isNotZero();
    assertThat(BenchMain.execute("replication", "--phases=lag")).isNotZero(); // no rate to halve
    assertThat(BenchMain.execute("replication", "--phases=cost")).isNotZero(); // nor to take 60% of
    assertThat(BenchMain.execute("replication", "--cost-rate=-1")).isNotZero();
    assertThat(BenchMain.execute("replication", "--phases=warp")).isNotZero();
    assertThat(BenchMain.execute("replication", "--codecs=zstd,zstd")).isNotZero();
    assertThat(BenchMain.execute("replication", "--catchup-batch=0")).isNotZero();
    assertThatThrownBy(() -> new CompressibleValues(1, 100, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesRepeatTheirRandomPrintablePart() {
    CompressibleValues values = new CompressibleValues(42, 100, 0.5);

    byte[] a = values.next();
    byte[] b = values.next();

    assertThat(a).hasSize(100);
    for (int i = 0; i < 50; i++) {
      assertThat(a[i + 50]).isEqualTo(a[i]);
      assertThat((int) a[i]).isBetween((int) ' ', (int) '~');
    }
    assertThat(b).isNotEqualTo(a);
  }

  @Test
  void smallRunReportsEveryPhaseAndJudgesTheBars() throws Exception {
    Path json = tmp.resolve("out/replication.json");

    int exit =
        BenchMain.execute(
            "replication",
            "--codecs=zstd,none",
            "--replicas=1",
            "--duration=0.5",
            "--warmup=0.2",
            "--lag-duration=0.5",
            "--lag-warmup=0.2",
            "--probe-interval-ms=10",
            "--catchup-entries=3000",
            "--heap=256m",
            "--dir=" + tmp.resolve("data"),
            "--json=" + json);

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    assertThat(report)
        .containsEntry("benchmark", "replication")
        .containsKeys("date", "machine", "command", "config", "bars_met");
    assertThat((String) report.get("command")).startsWith("./kevo-bench replication --codecs");
    Map<String, Object> results = map(report.get("results"));
    Map<String, Object> t = map(results.get("throughput"));
    assertThat(number(map(t.get("standalone")), "ops_per_sec")).isPositive();
    assertThat(number(map(t.get("replicated")), "ops_per_sec")).isPositive();
    assertThat(number(t, "replicated_over_standalone")).isPositive();

    List<?> codecs = (List<?>) results.get("wire_by_codec");
    assertThat(codecs).hasSize(2);
    Map<String, Object> none = map(codecs.get(1));
    assertThat(none).containsEntry("codec", "none").containsEntry("wire_over_none", 1.0);
    assertThat(number(none, "wire_bytes_per_entry")).isGreaterThan(116); // key + value + framing

    Map<String, Object> cost = map(results.get("cost"));
    assertThat((List<?>) cost.get("standalone_runs")).hasSize(1);
    Map<String, Object> paced = map(((List<?>) cost.get("replicated_runs")).get(0));
    assertThat(number(map(paced.get("cpu_us_per_put")), "primary")).isPositive();
    assertThat(number(map(paced.get("cpu_us_per_put")), "replica1")).isPositive();
    assertThat(number(cost, "primary_cpu_over_standalone")).isPositive();

    Map<String, Object> v = map(results.get("visibility"));
    assertThat(number(map(v.get("after_ack")), "samples")).isPositive();
    assertThat(v).containsEntry("timeouts", 0L);
    assertThat(map(v.get("jit_cpu_share"))).containsKeys("primary", "replica1");
    assertThat(number(v, "machine_steal_share")).isBetween(0.0, 1.0);

    Map<String, Object> c = map(results.get("catch_up"));
    assertThat(c).containsEntry("entries_behind", 3000L);
    assertThat(number(c, "entries_per_sec")).isPositive();

    List<?> bars = (List<?>) report.get("bars");
    assertThat(bars).hasSize(5);
    bars.forEach(b -> assertThat(map(b).get("met")).isInstanceOf(Boolean.class));
    assertThat(Files.list(tmp.resolve("data"))).as("data directories removed").isEmpty();
  }

  @Test
  void reportJudgesEachBarOnItsFigure() {
    ReplicationCommand cmd = new ReplicationCommand();
    new CommandLine(cmd).parseArgs("--codecs=zstd,none");
    ReplicationParams p = cmd.params();
    Cluster.Wire zstd = new Cluster.Wire(150_000, 90_000, 1_000);
    Cluster.Wire none = new Cluster.Wire(150_000, 150_500, 1_000);
    // CPU per put: standalone 10, 12 and 8 µs (median 10); primary 11 µs, replicas 4 and 6 µs.
    ThroughputRun s1 = run("standalone", null, 100_000, null, Map.of("standalone", 1.0));
    ThroughputRun s2 = run("standalone", null, 120_000, null, Map.of("standalone", 1.44));
    ThroughputRun s3 = run("standalone", null, 80_000, null, Map.of("standalone", 0.64));
    Map<String, Double> cluster = new LinkedHashMap<>();
    cluster.put("primary", 0.935);
    cluster.put("replica1", 0.34);
    cluster.put("replica2", 0.51);
    ThroughputRun r1 = run("replicated", "zstd", 85_000, zstd, cluster);
    ThroughputRun n1 = run("replicated", "none", 90_000, none, cluster);

    Report report =
        new Report(
            p,
            "./kevo-bench replication",
            Map.of(),
            List.of(s1, s2, s3),
            List.of(r1),
            List.of(n1),
            List.of(s1, s2, s3),
            List.of(r1),
            null,
            null);

    assertThat(report.throughputRatio()).isEqualTo(0.85); // against the median, 100,000
    BenchReport bench = report.report();
    assertThat(report.primaryCpuRatio()).isCloseTo(1.1, within(1e-9));
    assertThat(report.replicaCpuMicros()).as("the costlier replica").isCloseTo(6, within(1e-9));
    assertThat(bench.bars()).extracting(Bar::met).containsExactly(true, true, false, null, null);
    assertThat(bench.barsMet()).as("lag and catch-up not measured").isNull();
    assertThat(bench.text())
        .contains("replicated throughput over standalone (>= 0.800x): 0.850x -> MET")
        .contains("primary's CPU per put over the standalone node's (<= 1.200x): 1.100x -> MET")
        .contains("a replica's CPU per applied entry (<= 5.00 µs): 6.00 µs -> NOT MET")
        .contains("CPU µs per put: primary 11.0 replica1 4.0 replica2 6.0")
        .contains("replica visibility lag p99 at half load (<= 10.00 ms): - -> n/a (not measured)")
        .contains("zstd")
        .contains("0.598"); // 90 / 150.5 B per entry against none
  }

  private static ThroughputRun run(
      String side, String codec, long ops, Cluster.Wire wire, Map<String, Double> cores) {
    return new ThroughputRun(
        side,
        codec,
        0,
        ops * 10,
        10,
        500,
        2_000,
        cores,
        Map.of(),
        0.1,
        wire == null ? List.of() : List.of(0L, 0L),
        wire == null ? null : 20.0,
        wire,
        0.5);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static double number(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }
}
