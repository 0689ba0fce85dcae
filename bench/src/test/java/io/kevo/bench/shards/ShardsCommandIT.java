package io.kevo.bench.shards;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.BenchMain;
import io.kevo.bench.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo-bench shards} end to end at a small size: an embedded ZooKeeper in this JVM, {@code
 * kevo server --shard} processes of the distribution, one and two shards for a second each, then a
 * split of a 3,000-key shard under writes. Checks the report's figures, not their size.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ShardsCommandIT {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void measuresEachShardCountAndASplitThatLosesNoKey() throws Exception {
    Path json = tmp.resolve("shards.json");

    int exit =
        BenchMain.execute(
            "shards",
            "--shards",
            "1,2",
            "--clients",
            "4",
            "--warmup",
            "1s",
            "--duration",
            "1s",
            "--split-keys",
            "3000",
            "--split-writers",
            "2",
            "--dir",
            tmp.resolve("work").toString(),
            "--json",
            json.toString());

    Map<String, Object> root = Json.parseObject(Files.readString(json));
    Map<String, Object> results = (Map<String, Object>) root.get("results");
    assertThat(exit).as("the run stopped: %s", results.get("stopped")).isZero();
    assertThat(results).doesNotContainKey("stopped");
    List<Map<String, Object>> points = (List<Map<String, Object>>) results.get("scaling");
    assertThat(points).extracting(p -> p.get("shards")).containsExactly(1L, 2L);
    for (Map<String, Object> p : points) {
      assertThat((Double) p.get("writes_per_sec")).isPositive();
      assertThat((Double) p.get("reads_per_sec")).isPositive();
      assertThat((Double) p.get("write_node_cores")).isPositive();
      assertThat((Double) p.get("write_node_cpu_us_per_op")).isPositive();
    }
    Map<String, Object> split = (Map<String, Object>) results.get("split");
    assertThat(split.get("keys")).isEqualTo(3000L);
    assertThat(split.get("read_back_sampled")).isEqualTo(3000L);
    assertThat(split.get("read_back_missing")).isEqualTo(0L);
    assertThat((Double) split.get("moving_keys_pause_ms")).isPositive();
    assertThat((Double) split.get("split_seconds"))
        .isGreaterThanOrEqualTo((Double) split.get("learn_seconds"));
    assertThat((List<String>) split.get("steps"))
        .anyMatch(s -> s.contains("flipped the shard map: s2n1 holds sequence"));
    assertThat(root.get("bars_met")).isEqualTo(true);
    assertThat(tmp.resolve("work")).isEmptyDirectory();
  }
}
