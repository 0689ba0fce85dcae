package io.kevo.bench.shards;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.MachineInfo;
import io.kevo.chaos.Durations;
import io.kevo.chaos.cluster.ZooKeeperHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kevo-bench shards}: a sharded cluster's throughput with 1, 2 and 4 shards (per core the
 * nodes used), and an online split of a large shard under writes. Prints the report, optionally
 * writes JSON. Exit code 0 when every phase ran, 1 otherwise.
 */
@Command(
    name = "shards",
    mixinStandardHelpOptions = true,
    description = {
      "Measures a sharded cluster on this machine: an embedded ZooKeeper in this JVM and one",
      "`kevo server --shard sI --replication-ack async` process per shard (kevo-cli.jar).",
      "scaling: for each --shards count, a map split evenly (keys of 16 random bytes), --clients",
      "threads of one routing client (zk://) put for --warmup and then --duration, then get keys",
      "they wrote for --duration; throughput, the nodes' and the client's CPU, per node core.",
      "split: one shard loaded with --split-keys keys, a node of the new shard started, then an",
      "online split at the middle key (kevo cluster split's steps) while --split-writers threads",
      "put keys of both halves; the split's time, the moving keys' pause, put latencies, and a",
      "read-back of a sample of keys."
    })
public final class ShardsCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ShardsCommand.class);

  @Option(
      names = "--shards",
      split = ",",
      defaultValue = "1,2,4",
      description = "Shard counts of the scaling phase (default: ${DEFAULT-VALUE}).")
  List<Integer> shards;

  @Option(
      names = "--clients",
      defaultValue = "16",
      description = "Client threads, one call in flight each (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--warmup",
      defaultValue = "30s",
      converter = Durations.Converter.class,
      description =
          "Puts before each timed window: the nodes' JIT compilers settle in about 30 s at this"
              + " load (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      converter = Durations.Converter.class,
      description = "Each timed window (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--value-size",
      defaultValue = "100",
      description = "Value bytes (default: ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(
      names = "--split-keys",
      defaultValue = "1000000",
      description = "Keys in the shard that splits (default: ${DEFAULT-VALUE}).")
  long splitKeys;

  @Option(
      names = "--split-writers",
      defaultValue = "4",
      description = "Writer threads during the split (default: ${DEFAULT-VALUE}).")
  int splitWriters;

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "scaling,split",
      description = "scaling, split or both (default: ${DEFAULT-VALUE}).")
  List<String> phases;

  @Mixin BenchOptions.JsonOut json = new BenchOptions.JsonOut();
  @Mixin BenchOptions.WorkDir dir = new BenchOptions.WorkDir();
  @Mixin BenchOptions.ChildJvms jvms = new BenchOptions.ChildJvms("1g");

  @Override
  public Integer call() throws Exception {
    ZooKeeperHost.quietLogs();
    ShardsParams p =
        new ShardsParams(
            shards,
            clients,
            warmup,
            duration,
            valueSize,
            splitKeys,
            splitWriters,
            phases,
            jvms.heap(),
            jvms.jvmArgs());
    List<ScalingRun.Point> points = new ArrayList<>();
    SplitRun.Result split = null;
    String stopped = null;
    try {
      if (phases.contains("scaling")) {
        for (int n : shards) {
          Path run = dir.createRunDir("shards-" + n + "-");
          try {
            points.add(ScalingRun.run(run, n, p));
            LOG.info("shards {}: {}", n, points.get(points.size() - 1));
          } finally {
            dir.cleanUp(run);
          }
        }
      }
      if (phases.contains("split")) {
        Path run = dir.createRunDir("shards-split-");
        try {
          split = SplitRun.run(run, p);
        } finally {
          dir.cleanUp(run);
        }
      }
    } catch (Exception e) {
      LOG.error("shards: the run stopped", e);
      stopped = causes(e);
    }
    BenchReport report =
        ShardsReport.build(p, points, split, stopped, json.commandLine("shards"), config(p));
    json.publish(report);
    return stopped == null ? 0 : 1;
  }

  /** {@code e} and its causes, each as its class and message, for the report's {@code stopped}. */
  static String causes(Throwable e) {
    StringBuilder s = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      s.append(" <- caused by ").append(c);
    }
    return s.toString();
  }

  static Map<String, Object> config(ShardsParams p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shard_counts", p.shardCounts());
    m.put("clients", p.clients());
    m.put("warmup_ms", p.warmup().toMillis());
    m.put("duration_ms", p.duration().toMillis());
    m.put("value_size", p.valueSize());
    m.put("split_keys", p.splitKeys());
    m.put("split_writers", p.splitWriters());
    m.put("phases", p.phases());
    m.put(
        "node_args",
        "kevo server --coordinator ZK --cluster bench --shard sI --node-id sIn1"
            + " --replication-ack async; everything else the server's defaults");
    m.put("node_jvm_args", p.nodeJvmArgs());
    m.put(
        "client",
        "one KevoClient.connect(zk://.../bench) in the bench JVM, routing by the shard map");
    m.put(
        "per_core_definition",
        "operations per second divided by the nodes' CPU seconds per second (user + system from"
            + " /proc/PID/stat over the window)");
    m.put("machine", MachineInfo.describe());
    return m;
  }
}
