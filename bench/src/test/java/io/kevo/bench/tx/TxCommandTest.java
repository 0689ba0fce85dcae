package io.kevo.bench.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.bench.BenchMain;
import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxCommandTest {
  private static final List<String> FIELDS =
      List.of(
          "tx_per_sec",
          "conflict_rate",
          "commit_p50_us",
          "commit_p99_us",
          "commit_p999_us",
          "tx_p50_us",
          "tx_p99_us",
          "tx_p999_us",
          "peak_rss_mb");

  @TempDir Path tmp;

  @Test
  void forkedRunOfFixedTransactionsReportsBothEnginesAndBothKevoModesInJson() throws Exception {
    Path json = tmp.resolve("out/tx.json");
    Path data = tmp.resolve("data");

    int exit =
        BenchMain.execute(
            "tx",
            "--num=2000",
            "--threads=2",
            "--txns=400",
            "--warmup-s=0",
            "--heap=256m",
            "--json=" + json,
            "--dir=" + data);

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    assertThat(report).containsEntry("benchmark", "tx").containsKeys("date", "machine", "config");
    assertThat(asMap(report.get("machine"))).containsKeys("cores", "java_version");
    assertThat(asMap(report.get("config")))
        .containsEntry("num", 2000L)
        .containsEntry("threads", 2L)
        .containsEntry("txns", 400L)
        .containsEntry("reads_per_tx", 2L)
        .containsEntry("writes_per_tx", 2L)
        .containsEntry("block_cache_bytes", 64L << 20)
        .containsEntry("bloom_bits_per_key", 10L);
    Map<String, Object> results = asMap(report.get("results"));
    Map<String, Object> engines = asMap(results.get("engines"));
    assertThat(engines).containsOnlyKeys("kevo", "kevo-pessimistic", "rocksdb");
    for (String engine : List.of("kevo", "kevo-pessimistic", "rocksdb")) {
      Map<String, Object> r = asMap(engines.get(engine));
      assertThat(r).as(engine).containsKeys(FIELDS.toArray(String[]::new));
      long attempts = number(r, "attempts").longValue();
      assertThat(attempts).as(engine).isEqualTo(400L);
      assertThat(number(r, "commits").longValue() + number(r, "aborts").longValue())
          .isEqualTo(attempts);
      assertThat(number(r, "tx_per_sec").doubleValue()).isPositive();
      assertThat(number(r, "conflict_rate").doubleValue()).isBetween(0.0, 1.0);
      assertThat(number(r, "commit_p50_us").doubleValue())
          .isPositive()
          .isLessThanOrEqualTo(number(r, "commit_p99_us").doubleValue());
      assertThat(number(r, "commit_p99_us").doubleValue())
          .isLessThanOrEqualTo(number(r, "commit_p999_us").doubleValue());
      assertThat(number(r, "tx_p50_us").doubleValue())
          .isGreaterThanOrEqualTo(number(r, "commit_p50_us").doubleValue());
      assertThat(number(r, "peak_rss_mb").doubleValue()).isPositive();
      assertThat((List<?>) r.get("tx_per_sec_runs")).hasSize(1);
      assertThat(asMap(r.get("workload_details"))).containsEntry("load_keys", 2000L);
    }
    assertThat(results.get("kevo_over_rocksdb_tx_per_sec")).isInstanceOf(Number.class);
    assertThat(results.get("kevo_pessimistic_over_optimistic_tx_per_sec"))
        .isInstanceOf(Number.class);
    assertThat(asMap(engines.get("kevo-pessimistic")).get("transactions").toString())
        .contains("TransactionOptions.PESSIMISTIC");
    assertThat((List<?>) report.get("bars"))
        .as("optimistic Kevo against RocksDB only: throughput and memory")
        .hasSize(2);
    assertThat(asMap(((List<?>) report.get("bars")).get(0)))
        .containsEntry("id", "tx_per_sec_over_rocksdb")
        .containsEntry("threshold", 1.0);
    assertThat(asMap(((List<?>) report.get("bars")).get(1)))
        .containsEntry("id", "rss_over_rocksdb")
        .containsEntry("threshold", 1.5)
        .extractingByKey("value")
        .isInstanceOf(Number.class);
    assertThat(report.get("bars_met")).isInstanceOf(Boolean.class);
    try (var left = Files.list(data)) {
      assertThat(left).as("databases are deleted after the run").isEmpty();
    }
  }

  @Test
  void inProcessTimedRunOfOneEngineHasNoRatio() throws Exception {
    Path json = tmp.resolve("kevo.json");

    int exit =
        BenchMain.execute(
            "tx",
            "--no-fork",
            "--engines=kevo",
            "--num=2000",
            "--threads=2",
            "--duration-s=0.5",
            "--warmup-s=0.2",
            "--repeat=2",
            "--json=" + json,
            "--dir=" + tmp.resolve("d"));

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    Map<String, Object> results = asMap(report.get("results"));
    Map<String, Object> kevo = asMap(asMap(results.get("engines")).get("kevo"));
    assertThat(number(kevo, "commits").longValue()).isPositive();
    assertThat(number(kevo, "seconds").doubleValue()).isGreaterThanOrEqualTo(0.5);
    assertThat((List<?>) kevo.get("tx_per_sec_runs")).hasSize(2);
    assertThat(asMap(kevo.get("workload_details"))).containsKey("warmup_commits");
    assertThat(results.get("kevo_over_rocksdb_tx_per_sec")).isNull();
    assertThat(report.get("bars_met")).as("the bar needs both engines").isNull();
  }

  @Test
  void pessimisticModeAloneRunsKevoWithLocksAndHasNoBar() throws Exception {
    Path json = tmp.resolve("pessimistic.json");

    int exit =
        BenchMain.execute(
            "tx",
            "--no-fork",
            "--engines=kevo",
            "--mode=pessimistic",
            "--num=2000",
            "--threads=4",
            "--txns=400",
            "--warmup-s=0",
            "--json=" + json,
            "--dir=" + tmp.resolve("d"));

    assertThat(exit).isZero();
    Map<String, Object> report = Json.parseObject(Files.readString(json));
    Map<String, Object> engines = asMap(asMap(report.get("results")).get("engines"));
    assertThat(engines).containsOnlyKeys("kevo-pessimistic");
    Map<String, Object> r = asMap(engines.get("kevo-pessimistic"));
    assertThat(number(r, "commits").longValue() + number(r, "aborts").longValue()).isEqualTo(400);
    assertThat(number(r, "commits").longValue()).isPositive();
    assertThat(report.get("bars_met")).isNull();
  }

  @Test
  void subjectsFollowTheMode() {
    List<EngineKind> both = List.of(EngineKind.KEVO, EngineKind.ROCKSDB);
    assertThat(TxSubject.of(both, TxSubject.Mode.parse("both")))
        .containsExactly(TxSubject.KEVO, TxSubject.KEVO_PESSIMISTIC, TxSubject.ROCKSDB);
    assertThat(TxSubject.of(both, TxSubject.Mode.parse("Optimistic")))
        .containsExactly(TxSubject.KEVO, TxSubject.ROCKSDB);
    assertThat(TxSubject.of(both, TxSubject.Mode.PESSIMISTIC))
        .containsExactly(TxSubject.KEVO_PESSIMISTIC, TxSubject.ROCKSDB);
    assertThat(TxSubject.fromId("kevo-pessimistic")).isEqualTo(TxSubject.KEVO_PESSIMISTIC);
    assertThatThrownBy(() -> TxSubject.Mode.parse("locking"))
        .hasMessageContaining("--mode must be optimistic, pessimistic or both");
    assertThatThrownBy(() -> TxSubject.fromId("leveldb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(BenchMain.execute("tx", "--mode=locking", "--dir=" + tmp)).isNotZero();
  }

  @Test
  void durationAndTxnsTogetherAreRejected() {
    assertThat(BenchMain.execute("tx", "--duration-s=1", "--txns=10", "--dir=" + tmp)).isNotZero();
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
