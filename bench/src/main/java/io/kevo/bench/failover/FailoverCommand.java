package io.kevo.bench.failover;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.MachineInfo;
import io.kevo.chaos.Durations;
import io.kevo.chaos.cluster.ZooKeeperHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kevo-bench failover}: kill -9 rounds of the primary of an automatically failing-over
 * cluster under writers at {@code replica:1}; write unavailability, election times, where the time
 * went, and acknowledged writes lost. Prints the report, optionally writes JSON. Exit code 0 when
 * every round ran and the read-back was done (whether or not the bars are met), 1 otherwise.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = {
      "Measures automatic failover on this machine: an embedded ZooKeeper server in this JVM",
      "(127.0.0.1, ephemeral port) and --nodes `kevo server` processes (kevo-cli.jar) with",
      "--coordinator, --cluster c1, --node-id, --replication-ack replica:1 and",
      "--failover-min-interval; the session timeout (4 s) and the grace (500 ms) are the server's",
      "defaults. --writers threads share one client given every node's address and put fresh",
      "keys. Each round waits until one primary is elected and followed, the minimum interval",
      "since the last failover has passed and writes flow; kills the primary with SIGKILL; measures",
      "the write unavailability (last acknowledgement before to first after), the election time",
      "(from ZooKeeper) and where it went (from the nodes' logs); restarts the killed node on its",
      "data directory (it rejoins as a replica) and waits until it has caught up. At the end every",
      "acknowledged key is read back from the final primary."
    })
public final class FailoverCommand implements Callable<Integer> {
  @Option(
      names = "--rounds",
      defaultValue = "10",
      description = "Kill rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "kevo server processes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--writers",
      defaultValue = "16",
      description = "Writer threads, one put in flight each (default: ${DEFAULT-VALUE}).")
  int writers;

  @Option(
      names = "--value-size",
      defaultValue = "100",
      description = "Value bytes (default: ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(
      names = "--failover-min-interval",
      defaultValue = "10s",
      converter = Durations.Converter.class,
      paramLabel = "DURATION",
      description =
          "The nodes' --failover-min-interval (the server's default: 10s); a round kills no"
              + " earlier than this after the last failover (default: ${DEFAULT-VALUE}).")
  Duration minInterval;

  @Option(
      names = "--steady",
      defaultValue = "2s",
      converter = Durations.Converter.class,
      paramLabel = "DURATION",
      description =
          "How long writes flow to a settled primary before it is killed (default:"
              + " ${DEFAULT-VALUE}).")
  Duration steady;

  @Option(
      names = "--round-timeout",
      defaultValue = "90s",
      converter = Durations.Converter.class,
      paramLabel = "DURATION",
      description =
          "The longest a round waits for an election, a settled cluster or a caught-up node"
              + " (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--keep-logs",
      paramLabel = "DIR",
      description =
          "Copy each node's log (its coordination lines with their times) into DIR before the run"
              + " directory is deleted.")
  Path keepLogs;

  @Mixin BenchOptions.JsonOut json = new BenchOptions.JsonOut();
  @Mixin BenchOptions.WorkDir dir = new BenchOptions.WorkDir();
  @Mixin BenchOptions.ChildJvms jvms = new BenchOptions.ChildJvms("1g");

  FailoverParams params() {
    return new FailoverParams(
        rounds,
        nodes,
        writers,
        valueSize,
        minInterval,
        steady,
        timeout,
        jvms.heap(),
        jvms.jvmArgs());
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    ZooKeeperHost.quietLogs();
    FailoverParams p = params();
    double loadStart = MachineInfo.loadAverage();
    Path runDir = dir.createRunDir("failover-");
    FailoverOutcome outcome;
    try {
      outcome = FailoverRun.run(runDir, p);
    } finally {
      if (keepLogs != null) {
        copyLogs(runDir, p.nodes(), keepLogs);
      }
      dir.cleanUp(runDir);
    }
    BenchReport report =
        FailoverReport.build(
            p, outcome, json.commandLine("failover"), config(p, dir.base(), loadStart));
    json.publish(report);
    return outcome.error() == null && outcome.readBack() != null ? 0 : 1;
  }

  /** Copies {@code runDir/nI/nI.log} of every node that has one into {@code to}. */
  static void copyLogs(Path runDir, int nodes, Path to) throws IOException {
    Files.createDirectories(to);
    for (int i = 1; i <= nodes; i++) {
      Path log = runDir.resolve("n" + i).resolve("n" + i + ".log");
      if (Files.exists(log)) {
        Files.copy(log, to.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** The JSON config: parameters, what the nodes and the client run with, the definitions. */
  static Map<String, Object> config(FailoverParams p, Path base, double loadStart) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rounds", p.rounds());
    m.put("nodes", p.nodes());
    m.put("writers", p.writers());
    m.put("value_size", p.valueSize());
    m.put(
        "coordinator",
        "embedded ZooKeeper (ZooKeeperServer, tick 500 ms) in the bench JVM on 127.0.0.1");
    m.put(
        "node_args",
        "kevo server --coordinator ZK --cluster c1 --node-id nI --replication-ack replica:1"
            + " --failover-min-interval "
            + p.minInterval().toMillis()
            + "ms; everything else the server's defaults (--sync, --coordinator-session-timeout"
            + " 4s, --failover-grace 500ms, --failover-max-lag 0 at replica:1)");
    m.put("coordinator_session_timeout_ms", 4_000);
    m.put("failover_grace_ms", 500);
    m.put("failover_min_interval_ms", p.minInterval().toMillis());
    m.put(
        "min_interval_handling",
        "a round kills no earlier than failover_min_interval_ms after the last failover's record");
    m.put("steady_ms", p.steady().toMillis());
    m.put("round_timeout_ms", p.timeout().toMillis());
    m.put("node_heap", p.heap());
    m.put("node_jvm_args", p.nodeJvmArgs("{node}"));
    m.put(
        "client",
        "one KevoClient, ClientOptions.builder().endpoints(all nodes) with its defaults (deadline"
            + " 5 s, 3 attempts, backoff 100 ms to 2 s); each writer puts key fo/WW/N once,"
            + " pausing "
            + Writers.PAUSE_AFTER_FAILURE_MS
            + " ms after a failed put");
    m.put(
        "unavailability_definition",
        "per round: from the last write acknowledged in the killed primary's epoch (or earlier)"
            + " to the first write acknowledged after the kill in a later epoch, over all writers;"
            + " p50 nearest rank");
    m.put(
        "election_definition",
        "from the kill signal until ZooKeeper (polled every 20 ms) shows a member as primary in a"
            + " later epoch");
    m.put(
        "lost_definition",
        "acknowledged keys missing or holding another value on the final primary (one scan of"
            + " the writers' prefix); failed puts are not looked for");
    m.put("data_dir", base.toAbsolutePath().toString());
    m.put("load_average_1m_start", loadStart);
    m.put("load_average_1m_end", MachineInfo.loadAverage());
    return m;
  }
}
