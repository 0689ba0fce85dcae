package io.kevo.bench.shards;

import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Table;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shards benchmark's report: the scaling table, the split's figures and steps, and why the run
 * stopped early if it did. Stateless.
 */
final class ShardsReport {
  private ShardsReport() {}

  static BenchReport build(
      ShardsParams p,
      List<ScalingRun.Point> points,
      SplitRun.Result split,
      String stopped,
      String command,
      Map<String, Object> config) {
    BenchReport.Builder b =
        BenchReport.of("shards", command, config)
            .title(
                "Sharded cluster: throughput with "
                    + p.shardCounts()
                    + " shards of one node, and an online split");
    if (!points.isEmpty()) {
      b.section(
          "scaling", scalingText(points), points.stream().map(ScalingRun.Point::toJson).toList());
    }
    if (split != null) {
      b.section("split", splitText(split), split.toJson())
          .bar(
              Bar.atMost(
                  "split_keys_missing",
                  "keys missing after the split (of a sample)",
                  "keys",
                  0,
                  (double) split.missing()));
    }
    if (stopped != null) {
      b.section("stopped", "the run stopped: " + stopped, stopped);
    }
    return b.note(
            "All processes share this machine's 2 cores: the throughput columns measure the machine"
                + " as much as the code; the per-core columns divide by the CPU the nodes used, JIT"
                + " compilation included (its share in the JIT columns: more nodes on the same two"
                + " cores each get less load, and their compilers take longer to settle).")
        .build();
  }

  static String scalingText(List<ScalingRun.Point> points) {
    Table t =
        new Table(
            "6>shards",
            "9>writes/s",
            "6>node|cores",
            "6>client|cores",
            "10>writes/s per|node core",
            "8>node µs|/write",
            "6>node|JIT",
            "9>reads/s",
            "6>node|cores",
            "6>client|cores",
            "10>reads/s per|node core",
            "8>node µs|/read",
            "6>node|JIT");
    for (ScalingRun.Point x : points) {
      t.row(
          x.shards(),
          f0(x.writesPerSec()),
          f2(x.writeNodeCores()),
          f2(x.writeClientCores()),
          f0(x.writesPerNodeCore()),
          f1(x.writeNodeCpuUsPerOp()),
          pct(x.writeJitShare()),
          f0(x.readsPerSec()),
          f2(x.readNodeCores()),
          f2(x.readClientCores()),
          f0(x.readsPerNodeCore()),
          f1(x.readNodeCpuUsPerOp()),
          pct(x.readJitShare()));
    }
    return t.toString();
  }

  static String splitText(SplitRun.Result r) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "split of a %,d-key shard at its middle key: loaded in %.1f s; split in %.2f s"
                + " (learning %.2f s); moving keys paused %.0f ms%n"
                + "puts during the split: %,d (%d failed); moving keys p99 %,d µs max %,d µs;"
                + " staying keys p99 %,d µs max %,d µs%n"
                + "read back %,d sampled keys after the split: %d missing%n",
            r.keys(),
            r.loadSeconds(),
            r.splitSeconds(),
            r.learnSeconds(),
            r.pauseMs(),
            r.writesDuring(),
            r.failedWrites(),
            r.movingP99Us(),
            r.movingMaxUs(),
            r.stayingP99Us(),
            r.stayingMaxUs(),
            r.sampled(),
            r.missing()));
    r.failureCauses()
        .forEach(
            (cause, n) ->
                s.append("  failed ")
                    .append(n)
                    .append("x: ")
                    .append(cause)
                    .append(System.lineSeparator()));
    for (String step : r.steps()) {
      s.append("  ").append(step).append(System.lineSeparator());
    }
    return s.toString();
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  private static String f0(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
