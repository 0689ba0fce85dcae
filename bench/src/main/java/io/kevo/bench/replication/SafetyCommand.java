package io.kevo.bench.replication;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.MachineInfo;
import io.kevo.bench.run.Dirs;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.wire.AckLevel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kevo-bench safety}: what acknowledgement levels, read-your-writes and snapshot bootstrap
 * cost, on child JVMs of this machine (the {@code replication} benchmark's nodes, sync off
 * everywhere). Prints the results, optionally writes JSON. Exit code 0 when every phase ran
 * (whether or not the bar is met), 1 when one failed.
 */
@Command(
    name = "safety",
    mixinStandardHelpOptions = true,
    description = {
      "Measures replication safety on this machine, each node a child JVM on 127.0.0.1 with a",
      "fresh data directory, sync none. acks: --clients writers put fresh keys as fast as a",
      "standalone node, then a primary with --replicas replicas at each of --levels (kevo-ack",
      "metadata), answers (fresh nodes per run, --repeat runs per side in rotating order). ryw:",
      "one probe per replica puts on the primary and at once reads the key from the replica,",
      "alternately with kevo-min-sequence and without, under each of --ryw-rates background",
      "writes. bootstrap: a primary loaded with --bootstrap-keys random values and compacted, then",
      "--repeat brand-new replicas, each timed from its process start until caught up."
    })
public final class SafetyCommand implements Callable<Integer> {

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "acks,ryw,bootstrap",
      description = "Which phases run (default: ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(
      names = "--levels",
      split = ",",
      defaultValue = "async,replica:1,all",
      description = "Acknowledgement levels of the acks phase (default: ${DEFAULT-VALUE}).")
  List<String> levels;

  @Option(
      names = "--ryw-rates",
      split = ",",
      defaultValue = "0,5000",
      paramLabel = "PUTS_PER_SEC",
      description =
          "Background write rates of the ryw phase, one window each; 0 = none"
              + " (default: ${DEFAULT-VALUE}).")
  List<Double> rywRates;

  @Option(
      names = "--ryw-writers",
      defaultValue = "16",
      description = "Background writers of the ryw phase (default: ${DEFAULT-VALUE}).")
  int rywWriters;

  @Option(
      names = "--bootstrap-keys",
      defaultValue = "1000000",
      description = "Keys the primary holds when a new replica joins (default: ${DEFAULT-VALUE}).")
  long bootstrapKeys;

  @Option(
      names = "--bootstrap-value-size",
      defaultValue = "100",
      description = "Random value bytes of those keys (default: ${DEFAULT-VALUE}).")
  int bootstrapValueSize;

  @Mixin ClusterOptions common = new ClusterOptions();
  @Mixin BenchOptions.Timing timing = new BenchOptions.Timing(10, 3);
  @Mixin BenchOptions.Seed seed = new BenchOptions.Seed(20240607);

  SafetyParams params() {
    List<AckLevel> lv = new ArrayList<>();
    for (String l : levels) {
      lv.add(AckLevel.parse(l));
    }
    return new SafetyParams(
        ClusterOptions.phases(phases),
        lv,
        common.load.clients(),
        common.connections.count(),
        timing.duration(),
        timing.warmup(),
        common.repeat.count(),
        common.load.replicas(),
        common.sizes.keySize(),
        common.sizes.valueSize(),
        common.load.randomFraction(),
        rywRates,
        rywWriters,
        bootstrapKeys,
        bootstrapValueSize,
        seed.seed());
  }

  @Override
  public Integer call() throws IOException {
    SafetyParams p = params();
    Path base = common.dir.base();
    Path runDir = common.dir.createRunDir("safety-");
    List<AckRun> acks = new ArrayList<>();
    List<RywResult> ryw = new ArrayList<>();
    BootstrapResult[] bootstrap = new BootstrapResult[1];
    boolean failed = false;
    double loadStart = MachineInfo.loadAverage();
    try {
      if (p.runs("acks")) {
        List<AckLevel> sides = new ArrayList<>();
        sides.add(null); // the standalone baseline
        sides.addAll(p.levels());
        for (int r = 0; r < p.repeat(); r++) {
          // The order rotates from run to run, so that drift on a shared machine hits every side.
          for (int i = 0; i < sides.size(); i++) {
            AckLevel level = sides.get((i + r) % sides.size());
            int run = r;
            failed |= !Phases.attempt(() -> acks.add(acksRun(p, runDir, level, run)));
          }
        }
      }
      if (p.runs("ryw")) {
        failed |= !Phases.attempt(() -> ryw.addAll(rywWindows(p, runDir)));
      }
      if (p.runs("bootstrap")) {
        failed |= !Phases.attempt(() -> bootstrap[0] = bootstrapPhase(p, runDir));
      }
    } finally {
      common.dir.cleanUp(runDir);
    }
    SafetyReport report =
        new SafetyReport(
            p,
            common.json.commandLine("safety"),
            config(p, base, loadStart),
            acks,
            ryw,
            bootstrap[0]);
    common.json.publish(report.report());
    return failed ? 1 : 0;
  }

  private AckRun acksRun(SafetyParams p, Path runDir, AckLevel level, int run) {
    String side = level == null ? AckRun.STANDALONE : level.toString();
    String label = "acks-" + side.replace(":", "") + "-" + run;
    Path data = runDir.resolve(label);
    try (Cluster c =
        level == null
            ? common.standalone(data, label)
            : common.replicated(data, p.replicas(), CompressionCodec.ZSTD, label)) {
      System.err.printf(
          "acks run %d, %s: %s (pid %d, port %d)%s, load %.2f%n",
          run,
          side,
          level == null ? "standalone node" : "primary",
          c.primary().process.pid(),
          c.primary().port(),
          level == null ? "" : " + " + p.replicas() + " replicas",
          MachineInfo.loadAverage());
      AckRun r = SafetyPhases.acks(c, p, level, run);
      System.err.printf(
          Locale.ROOT,
          "  %,.0f puts/s, p50 %.0f µs, p99 %.0f µs, %d unconfirmed; JIT share%s; CPU stolen %s%s%n",
          r.opsPerSec(),
          r.p50Us(),
          r.p99Us(),
          r.unconfirmed(),
          Figures.cpuCells(new TreeMap<>(r.jitShare())),
          Figures.percentOrUnknown(r.stealShare()),
          r.convergeMs() == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; replicas %s behind at the stop, caught up %.0f ms later; %s",
                  r.endLagEntries(),
                  r.convergeMs(),
                  r.ackCounters()));
      return r;
    } finally {
      Dirs.deleteRecursively(data);
    }
  }

  private List<RywResult> rywWindows(SafetyParams p, Path runDir) {
    Path data = runDir.resolve("ryw");
    List<RywResult> out = new ArrayList<>();
    try (Cluster c = common.replicated(data, p.replicas(), CompressionCodec.ZSTD, "ryw")) {
      for (int w = 0; w < p.rywRates().size(); w++) {
        double rate = p.rywRates().get(w);
        System.err.printf(
            "ryw window %d: background writes %s, one probe per replica, load %.2f%n",
            w,
            rate > 0 ? String.format("at %,.0f puts/s", rate) : "none",
            MachineInfo.loadAverage());
        RywResult r = SafetyPhases.ryw(c, p, rate, w);
        System.err.printf(
            Locale.ROOT,
            "  ryw Get p50 %.1f µs p99 %.1f µs (%d samples, %d UNAVAILABLE, %d stale); plain Get"
                + " p50 %.1f µs p99 %.1f µs (%d missed the put)%n",
            r.ryw().percentile(50) / 1e3,
            r.ryw().percentile(99) / 1e3,
            r.ryw().count(),
            r.unavailable(),
            r.stale(),
            r.plain().percentile(50) / 1e3,
            r.plain().percentile(99) / 1e3,
            r.missed());
        out.add(r);
      }
    } finally {
      Dirs.deleteRecursively(data);
    }
    return out;
  }

  private BootstrapResult bootstrapPhase(SafetyParams p, Path runDir) {
    Path data = runDir.resolve("bootstrap");
    // A primary alone: replicas are added one at a time, each on an empty directory.
    try (Cluster c = common.replicated(data, 0, CompressionCodec.ZSTD, "bootstrap")) {
      System.err.printf(
          "bootstrap: primary (pid %d, port %d), load %.2f%n",
          c.primary().process.pid(), c.primary().port(), MachineInfo.loadAverage());
      return SafetyPhases.bootstrap(c, p, data);
    } finally {
      Dirs.deleteRecursively(data);
    }
  }

  private Map<String, Object> config(SafetyParams p, Path base, double loadStart) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phases", SafetyParams.PHASES.stream().filter(p::runs).toList());
    m.put(
        "nodes",
        "child JVMs (server-node) on 127.0.0.1, ephemeral ports, fresh data directories; replicas"
            + " ask for zstd");
    m.put(
        "engine",
        "Kevo Options.builder().syncMode(SyncMode.NONE), defaults otherwise; the primary also"
            + " holdWalAtOpen(true); server defaults: replication ack timeout 5 s, replica read"
            + " wait timeout 1 s");
    m.put("replicas", p.replicas());
    m.put("levels", p.levels().stream().map(AckLevel::toString).toList());
    m.put("clients", p.clients());
    m.put("connections", p.connections());
    m.put("duration_s", p.durationSeconds());
    m.put("warmup_s", p.warmupSeconds());
    m.put("repeat", p.repeat());
    m.put("key_size", p.keySize());
    m.put("value_size", p.valueSize());
    m.put("value_random_fraction", p.randomFraction());
    m.put(
        "acks_definition",
        "fresh nodes per run; every put carries kevo-ack: <level> (none on the standalone node);"
            + " puts/s = puts completed in the window / window; latency from sending to the answer;"
            + " unconfirmed = puts answered DEADLINE_EXCEEDED (committed, level not met)");
    m.put("ryw_rates", p.rywRates());
    m.put("ryw_writers", p.rywWriters());
    m.put(
        "ryw_definition",
        "per replica one thread, back to back: Put on the primary (kevo-sequence from its"
            + " trailers), then at once Get the key from the replica, alternately with"
            + " kevo-min-sequence = that sequence (ryw) and without (plain); latency of the Get"
            + " from sending to the answer. stale = ryw Get that did not find the key; missed ="
            + " plain Get that did not find it");
    m.put("bootstrap_keys", p.bootstrapKeys());
    m.put("bootstrap_value_size", p.bootstrapValueSize());
    m.put(
        "bootstrap_definition",
        "keys loaded with BatchWrites of 1,000 (4 in flight), random values, then Compact (flush"
            + " and full compaction); each run a brand-new replica on an empty directory, times"
            + " from launching its JVM; caught up = its applied_sequence at the primary's last"
            + " sequence (GetNodeInfo polled every 5 ms); fetch+install = the replica's log line"
            + " 'bootstrap ... installed ... in M ms'");
    common.putNodes(m, base, loadStart);
    return m;
  }
}
