package io.kevo.bench.replication;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.MachineInfo;
import io.kevo.bench.run.Dirs;
import io.kevo.proto.replication.CompressionCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kevo-bench replication}: a primary and its replicas as child JVMs on this machine against
 * a standalone node, sync off everywhere. Prints the results and the bar verdicts, optionally
 * writes JSON. Exit code 0 when every phase ran (whether or not the bars are met), 1 when one
 * failed.
 */
@Command(
    name = "replication",
    mixinStandardHelpOptions = true,
    description = {
      "Measures WAL replication on this machine: a primary and --replicas replicas, each a child",
      "JVM on 127.0.0.1 with a fresh data directory, sync none. throughput: --clients writers put",
      "fresh keys as fast as a standalone node, then a primary, answers (alternating, --repeat",
      "times), plus one run per other codec, counting the bytes the primary sends; cost: the",
      "standalone node and the primary paced at one rate (--cost-rate, alternating, --repeat",
      "times), each node's CPU per put measured; lag: writers paced at half the replicated",
      "throughput while a probe per replica times how soon a put is readable there; catchup: a",
      "replica is stopped, --catchup-entries are written, and the replica is timed catching up."
    })
public final class ReplicationCommand implements Callable<Integer> {

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "throughput,cost,lag,catchup",
      description = "Which phases run (default: ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(
      names = "--lag-warmup",
      defaultValue = "45",
      paramLabel = "SECONDS",
      description =
          "Untimed lead-in of the lag phase, at its paced rate. At half the load the fresh JVMs"
              + " take longer to compile what they run (on 2 cores, a replica's JIT was still 45%%"
              + " of its CPU 15-30 s in, 9%% at 45-60 s), and the first memtable flush comes later;"
              + " the phase measures the steady state after both (default: ${DEFAULT-VALUE}).")
  double lagWarmup;

  @Option(
      names = "--codecs",
      split = ",",
      defaultValue = "zstd,snappy,none",
      description =
          "Codecs the replicas ask for. The first (the replicas' default, zstd) is used for the"
              + " throughput ratio, the lag and the catch-up; each other one gets one throughput"
              + " run for its bytes on the wire (default: ${DEFAULT-VALUE}).")
  List<String> codecs;

  @Option(
      names = "--cost-rate",
      defaultValue = "0",
      paramLabel = "PUTS_PER_SEC",
      description =
          "Paced write rate of the cost phase, the same for the standalone node and the primary:"
              + " CPU per put compared at one load, so that neither side's figure gains from"
              + " batching more under a higher rate; 0: 60%% of the median replicated throughput"
              + " (default: ${DEFAULT-VALUE}).")
  double costRate;

  @Option(
      names = "--lag-duration",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Timed window of the lag phase (default: ${DEFAULT-VALUE}).")
  double lagDuration;

  @Option(
      names = "--lag-rate",
      defaultValue = "0",
      paramLabel = "PUTS_PER_SEC",
      description =
          "Paced write rate of the lag phase; 0: half the median replicated throughput"
              + " (default: ${DEFAULT-VALUE}).")
  double lagRate;

  @Option(
      names = "--probe-interval-ms",
      defaultValue = "5",
      description = "One visibility sample per replica this often, ms (default: ${DEFAULT-VALUE}).")
  double probeIntervalMs;

  @Option(
      names = "--catchup-entries",
      defaultValue = "1000000",
      description = "Entries written while a replica is down (default: ${DEFAULT-VALUE}).")
  long catchupEntries;

  @Option(
      names = "--catchup-batch",
      defaultValue = "1",
      description =
          "Entries per write while loading them: 1 = single puts, each its own WAL record; more ="
              + " BatchWrites (default: ${DEFAULT-VALUE}).")
  int catchupBatch;

  @Mixin ClusterOptions common = new ClusterOptions();
  @Mixin BenchOptions.Timing timing = new BenchOptions.Timing(10, 30);
  @Mixin BenchOptions.Seed seed = new BenchOptions.Seed(20240601);

  ReplicationParams params() {
    List<CompressionCodec> kinds = new ArrayList<>();
    for (String c : codecs) {
      kinds.add(codec(c));
    }
    return new ReplicationParams(
        ClusterOptions.phases(phases),
        common.load.clients(),
        common.connections.count(),
        timing.duration(),
        timing.warmup(),
        common.repeat.count(),
        kinds,
        common.load.replicas(),
        common.sizes.keySize(),
        common.sizes.valueSize(),
        common.load.randomFraction(),
        costRate,
        lagDuration,
        lagWarmup,
        lagRate,
        probeIntervalMs,
        catchupEntries,
        catchupBatch,
        seed.seed());
  }

  static CompressionCodec codec(String id) {
    return switch (id.trim().toLowerCase(Locale.ROOT)) {
      case "none" -> CompressionCodec.NONE;
      case "snappy" -> CompressionCodec.SNAPPY;
      case "zstd" -> CompressionCodec.ZSTD;
      default ->
          throw new IllegalArgumentException(
              "unknown codec '" + id + "' (expected none, snappy or zstd)");
    };
  }

  @Override
  public Integer call() throws IOException {
    ReplicationParams p = params();
    Path base = common.dir.base();
    Path runDir = common.dir.createRunDir("replication-");
    List<ThroughputRun> standalone = new ArrayList<>();
    List<ThroughputRun> replicated = new ArrayList<>();
    List<ThroughputRun> others = new ArrayList<>();
    List<ThroughputRun> costStandalone = new ArrayList<>();
    List<ThroughputRun> costReplicated = new ArrayList<>();
    VisibilityResult visibility = null;
    CatchUpResult catchUp = null;
    boolean failed = false;
    double loadStart = MachineInfo.loadAverage();
    try {
      if (p.runs("throughput")) {
        for (int r = 0; r < p.repeat(); r++) {
          // Sides alternate, so that drift on a shared machine hits both alike.
          int run = r;
          failed |= !Phases.attempt(() -> standalone.add(standalone(p, runDir, run, 0)));
          CompressionCodec main = p.mainCodec();
          failed |= !Phases.attempt(() -> replicated.add(replicated(p, runDir, main, run, 0)));
        }
        for (CompressionCodec c : p.codecs().subList(1, p.codecs().size())) {
          failed |= !Phases.attempt(() -> others.add(replicated(p, runDir, c, 0, 0)));
        }
      }
      if (p.runs("cost")) {
        ThroughputRun max = Figures.median(replicated, ThroughputRun::opsPerSec);
        double rate =
            p.costRate() > 0
                ? p.costRate()
                : max == null ? 0 : max.opsPerSec() * ReplicationParams.COST_SHARE_OF_MAX;
        for (int r = 0; r < p.repeat() && rate > 0; r++) {
          int run = r;
          failed |= !Phases.attempt(() -> costStandalone.add(standalone(p, runDir, run, rate)));
          CompressionCodec main = p.mainCodec();
          failed |=
              !Phases.attempt(() -> costReplicated.add(replicated(p, runDir, main, run, rate)));
        }
        failed |= rate <= 0; // no replicated throughput to take the rate from
      }
      if (p.runs("lag") || p.runs("catchup")) {
        ThroughputRun max = Figures.median(replicated, ThroughputRun::opsPerSec);
        double rate = p.lagRate() > 0 ? p.lagRate() : max == null ? 0 : max.opsPerSec() / 2;
        Object[] out = new Object[2];
        failed |= !Phases.attempt(() -> lagAndCatchUp(p, runDir, rate, max, out));
        visibility = (VisibilityResult) out[0];
        catchUp = (CatchUpResult) out[1];
      }
    } finally {
      common.dir.cleanUp(runDir);
    }
    Map<String, Object> config = config(p, base, loadStart);
    Report report =
        new Report(
            p,
            common.json.commandLine("replication"),
            config,
            standalone,
            replicated,
            others,
            costStandalone,
            costReplicated,
            visibility,
            catchUp);
    common.json.publish(report.report());
    return failed ? 1 : 0;
  }

  /** What a run is called in the progress lines: its phase, and its pace if it has one. */
  private static String phase(double rate) {
    return rate > 0
        ? String.format(Locale.ROOT, "cost run (paced at %,.0f puts/s)", rate)
        : "throughput run";
  }

  private ThroughputRun standalone(ReplicationParams p, Path runDir, int run, double rate) {
    String label = (rate > 0 ? "cost-standalone-" : "standalone-") + run;
    Path data = runDir.resolve(label);
    try (Cluster c = common.standalone(data, label)) {
      System.err.printf(
          "%s %d: standalone node (pid %d, port %d), load %.2f%n",
          phase(rate),
          run,
          c.primary().process.pid(),
          c.primary().port(),
          MachineInfo.loadAverage());
      ThroughputRun t = Phases.throughput(c, p, "standalone", null, run, rate);
      progress(t);
      return t;
    } finally {
      Dirs.deleteRecursively(data);
    }
  }

  private ThroughputRun replicated(
      ReplicationParams p, Path runDir, CompressionCodec codec, int run, double rate) {
    String label = (rate > 0 ? "cost-" : "") + ReplicationParams.id(codec) + "-" + run;
    Path data = runDir.resolve(label);
    try (Cluster c = common.replicated(data, p.replicas(), codec, label)) {
      System.err.printf(
          "%s %d: primary (pid %d, port %d) + %d replicas asking for %s, load %.2f%n",
          phase(rate),
          run,
          c.primary().process.pid(),
          c.primary().port(),
          p.replicas(),
          ReplicationParams.id(codec),
          MachineInfo.loadAverage());
      ThroughputRun t =
          Phases.throughput(c, p, "replicated", ReplicationParams.id(codec), run, rate);
      progress(t);
      return t;
    } finally {
      Dirs.deleteRecursively(data);
    }
  }

  private void lagAndCatchUp(
      ReplicationParams p, Path runDir, double rate, ThroughputRun max, Object[] out) {
    Path data = runDir.resolve("lag");
    try (Cluster c = common.replicated(data, p.replicas(), p.mainCodec(), "lag")) {
      if (p.runs("lag")) {
        System.err.printf(
            "lag: writers paced at %,.0f puts/s, one probe per replica every %.1f ms, load %.2f%n",
            rate, p.probeIntervalMs(), MachineInfo.loadAverage());
        VisibilityResult v =
            Phases.visibility(c, p, rate, p.lagRate() > 0 || max == null ? 0 : max.opsPerSec());
        System.err.printf(
            "  achieved %,.0f puts/s; lag after ack p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d"
                + " samples)%n",
            v.achievedRate(),
            v.pooledAfterAck().percentile(50) / 1e6,
            v.pooledAfterAck().percentile(99) / 1e6,
            v.pooledAfterAck().max() / 1e6,
            v.pooledAfterAck().count());
        out[0] = v;
      }
      if (p.runs("catchup")) {
        CatchUpResult r = Phases.catchUp(c, p);
        System.err.printf(
            "  caught up %,d entries at %,.0f entries/s%n",
            r.toSequence() - r.fromSequence(), r.rate());
        out[1] = r;
      }
    } finally {
      Dirs.deleteRecursively(data);
    }
  }

  private static void progress(ThroughputRun t) {
    System.err.printf(
        Locale.ROOT,
        "  %,.0f puts/s, p50 %.0f µs, p99 %.0f µs; CPU cores%s; CPU µs/put%s; JIT share%s%s%n",
        t.opsPerSec(),
        t.p50Us(),
        t.p99Us(),
        Figures.cpuCells(t.cpuCores()),
        Figures.cells(t.cpuMicrosPerPut(), "%.1f"),
        Figures.cpuCells(t.jitShare()),
        t.convergeMs() == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; replicas %s entries behind at the stop, caught up after %.0f ms; %.1f wire"
                    + " B/entry",
                t.endLagEntries(),
                t.convergeMs(),
                1.0 * t.wire().wire() / Math.max(1, t.wire().entries())));
  }

  private Map<String, Object> config(ReplicationParams p, Path base, double loadStart) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phases", ReplicationParams.PHASES.stream().filter(p::runs).toList());
    m.put(
        "nodes", "child JVMs (server-node) on 127.0.0.1, ephemeral ports, fresh data directories");
    m.put("replicas", p.replicas());
    m.put("clients", p.clients());
    m.put("connections", p.connections());
    m.put("api", "generated gRPC stubs, asynchronous, one put in flight per writer");
    m.put("duration_s", p.durationSeconds());
    m.put("warmup_s", p.warmupSeconds());
    m.put("repeat", p.repeat());
    m.put("codecs", p.codecs().stream().map(ReplicationParams::id).toList());
    m.put("key_size", p.keySize());
    m.put("value_size", p.valueSize());
    m.put("value_random_fraction", p.randomFraction());
    m.put(
        "values",
        "db_bench CompressibleString: ceil(size x fraction) random printable ASCII bytes, repeated"
            + " to fill; a fresh value per put");
    m.put(
        "engine",
        "Kevo Options.builder().syncMode(SyncMode.NONE), defaults otherwise; the primary also"
            + " holdWalAtOpen(true); replicas ReplicaOptions.DEFAULT but preferredCodec");
    m.put(
        "cost_rate",
        p.costRate() > 0 ? p.costRate() : "60% of the median replicated ops/s (throughput phase)");
    m.put(
        "cpu_definition",
        "per node, the JVM's CPU time (utime + stime of /proc/<pid>/stat, every thread: JIT and"
            + " GC included) over the timed window / puts completed in it; the cost phase paces"
            + " both sides at cost_rate; jit_cpu_share is the part of it the JIT compiler threads"
            + " used; machine_steal_share the part of the machine's CPU time the hypervisor took");
    m.put("lag_duration_s", p.lagDurationSeconds());
    m.put("lag_warmup_s", p.lagWarmupSeconds());
    m.put("lag_rate", p.lagRate() > 0 ? p.lagRate() : "half of the median replicated ops/s");
    m.put("probe_interval_ms", p.probeIntervalMs());
    m.put(
        "lag_definition",
        "per replica, every probe interval: put a fresh marker key on the primary; after the put"
            + " returns, Get it from the replica back to back until found. after_ack = return of"
            + " the finding Get - return of the put; after_send = same end - sending of the put."
            + " Upper bounds by one Get round trip.");
    m.put("catchup_entries", p.catchupEntries());
    m.put("catchup_entries_per_write", p.catchupBatch());
    m.put(
        "catchup_definition",
        "the last replica is stopped cleanly, the entries are written on the primary, the"
            + " replica's JVM is started again on its directory and its applied_sequence polled"
            + " every 10 ms; rate = (target - applied at the first poll past the stop point) /"
            + " (time of the first poll at the target - time of that poll)");
    m.put(
        "wire_definition",
        "the primary's GetNodeInfo bytes_sent_raw (entries serialized before compression) and"
            + " bytes_sent_wire (serialized responses as sent) over entries_sent (counted once"
            + " per replica), differences over each throughput run incl. warm-up and convergence");
    common.putNodes(m, base, loadStart);
    return m;
  }
}
