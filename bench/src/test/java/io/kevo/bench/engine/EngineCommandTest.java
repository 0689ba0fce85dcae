package io.kevo.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.BenchMain;
import io.kevo.bench.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCommandTest {
  private static final List<String> FIELDS =
      List.of("ops_per_sec", "p50_us", "p99_us", "p999_us", "peak_rss_mb");

  @TempDir Path tmp;

  @Test
  void forkedRunReportsEveryWorkloadForBothEnginesInJson() throws Exception {
    Path json = tmp.resolve("out/engine.json");
    Path data = tmp.resolve("data");

    int exit =
        BenchMain.execute(
            "engine",
            "--num=2000",
            "--sync-num=200",
            "--warmup=100",
            "--heap=256m",
            "--json=" + json,
            "--dir=" + data);

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    assertThat(report).containsKeys("date", "machine", "command", "config", "results", "bars");
    assertThat(asMap(report.get("machine"))).containsKeys("cores", "java_version");
    Map<String, Object> workloads = asMap(asMap(report.get("results")).get("workloads"));
    assertThat(workloads).containsOnlyKeys("a", "b", "c");
    for (String w : List.of("a", "b", "c")) {
      Map<String, Object> entry = asMap(workloads.get(w));
      assertThat(entry.get("kevo_over_rocksdb_ops")).isInstanceOf(Number.class);
      for (String engine : List.of("kevo", "rocksdb")) {
        Map<String, Object> result = asMap(entry.get(engine));
        assertThat(result).as("%s/%s", w, engine).containsKeys(FIELDS.toArray(String[]::new));
        assertThat(((Number) result.get("ops_per_sec")).doubleValue()).isPositive();
        assertThat(((Number) result.get("peak_rss_mb")).doubleValue()).isPositive();
        long expectedOps = w.equals("c") ? 200 : 2000;
        assertThat(((Number) result.get("ops")).longValue()).isEqualTo(expectedOps);
      }
    }
    assertThat(((Number) asMap(asMap(workloads.get("b")).get("kevo")).get("batch_size")))
        .isEqualTo(100L);
    assertThat(((Number) asMap(asMap(workloads.get("c")).get("rocksdb")).get("threads")))
        .isEqualTo(8L);
    try (var left = Files.list(data)) {
      assertThat(left).as("databases are deleted after the run").isEmpty();
    }
  }

  @Test
  void forkedRunReportsEveryLsmWorkloadForBothEngines() throws Exception {
    List<String> lsm =
        List.of(
            "fillrandom",
            "fillseq",
            "overwrite",
            "readrandom",
            "readrandom10m",
            "readmissing",
            "seekrandom",
            "scan",
            "mixed");
    Path json = tmp.resolve("lsm.json");
    Path data = tmp.resolve("lsm-data");

    int exit =
        BenchMain.execute(
            "engine",
            "--num=2000",
            "--big-num=5000",
            "--warmup=100",
            "--heap=256m",
            "--workloads=" + String.join(",", lsm),
            "--json=" + json,
            "--dir=" + data);

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    assertThat(asMap(report.get("config")))
        .containsEntry("block_cache_bytes", 64L << 20)
        .containsEntry("bloom_bits_per_key", 10L)
        .containsEntry("big_num", 5000L);
    Map<String, Object> workloads = asMap(asMap(report.get("results")).get("workloads"));
    assertThat(workloads).containsOnlyKeys(lsm.toArray(String[]::new));
    for (String w : lsm) {
      Map<String, Object> entry = asMap(workloads.get(w));
      assertThat(entry.get("kevo_over_rocksdb_ops")).as(w).isInstanceOf(Number.class);
      boolean writes = List.of("fillrandom", "fillseq", "overwrite", "mixed").contains(w);
      for (String engine : List.of("kevo", "rocksdb")) {
        Map<String, Object> result = asMap(entry.get(engine));
        assertThat(result)
            .as("%s/%s", w, engine)
            .containsKeys(FIELDS.toArray(String[]::new))
            .containsKeys("write_amplification", "unit", "workload_details");
        assertThat(((Number) result.get("ops_per_sec")).doubleValue()).isPositive();
        assertThat(((Number) result.get("p999_us")).doubleValue()).isPositive();
        assertThat(((Number) result.get("peak_rss_mb")).doubleValue()).isPositive();
        if (writes) {
          // At least the WAL and the final flush: every user byte is written twice or more.
          assertThat(((Number) result.get("write_amplification")).doubleValue())
              .as("%s/%s write amp", w, engine)
              .isGreaterThan(1.0);
        } else {
          assertThat(result.get("write_amplification")).as("%s/%s", w, engine).isNull();
        }
        Map<String, Object> details = asMap(result.get("workload_details"));
        long ops = ((Number) result.get("ops")).longValue();
        switch (w) {
          case "scan" -> assertThat(ops).isEqualTo(3 * 2000L);
          case "readrandom10m" -> {
            assertThat(details.get("load_keys")).isEqualTo(5000L);
            assertThat(details.get("found")).isEqualTo(2000L);
          }
          case "readrandom", "seekrandom" -> assertThat(details.get("found")).isEqualTo(2000L);
          case "readmissing" -> assertThat(details.get("found")).isEqualTo(0L);
          default -> assertThat(ops).isEqualTo(2000L);
        }
      }
      if (writes) {
        assertThat(entry.get("kevo_over_rocksdb_write_amp")).as(w).isInstanceOf(Number.class);
      }
    }
    Map<String, Map<String, Object>> bars = new java.util.LinkedHashMap<>();
    for (Object b : (List<?>) report.get("bars")) {
      bars.put((String) asMap(b).get("id"), asMap(b));
    }
    assertThat(bars.get("fillrandom_write_amp_over_rocksdb"))
        .containsEntry("comparison", "<=")
        .containsEntry("threshold", 1.5);
    assertThat(bars.get("fillrandom_ops_over_rocksdb").get("met")).isInstanceOf(Boolean.class);
    assertThat(report.get("bars_met")).isInstanceOf(Boolean.class);
    assertThat(asMap(workloads.get("scan")).get("unit")).isEqualTo("keys");
    assertThat(bars.keySet()).as("fillseq has no target").noneMatch(id -> id.startsWith("fillseq"));
    assertThat(((Number) asMap(asMap(workloads.get("mixed")).get("kevo")).get("threads")))
        .isEqualTo(8L);
    try (var left = Files.list(data)) {
      assertThat(left).as("databases are deleted after the run").isEmpty();
    }
  }

  @Test
  void inProcessRunOfOneWorkloadSucceeds() throws Exception {
    Path json = tmp.resolve("one.json");

    int exit =
        BenchMain.execute(
            "engine",
            "--no-fork",
            "--repeat=3",
            "--num=500",
            "--workloads=b",
            "--engines=kevo",
            "--json=" + json,
            "--dir=" + tmp.resolve("d"));

    assertThat(exit).isZero();
    Map<String, Object> b =
        asMap(
            asMap(asMap(Json.parseObject(Files.readString(json)).get("results")).get("workloads"))
                .get("b"));
    assertThat(b).containsKey("kevo").doesNotContainKey("rocksdb");
    assertThat(b.get("kevo_over_rocksdb_ops")).isNull();
    assertThat((List<?>) asMap(b.get("kevo")).get("ops_per_sec_runs")).hasSize(3);
  }

  @Test
  void unknownWorkloadIsRejected() {
    assertThat(BenchMain.execute("engine", "--workloads=z", "--dir=" + tmp)).isNotZero();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }
}
