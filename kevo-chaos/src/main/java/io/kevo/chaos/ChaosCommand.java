package io.kevo.chaos;

import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.cluster.ZooKeeperHost;
import io.kevo.chaos.nemesis.Nemeses;
import io.kevo.chaos.run.ChaosOptions;
import io.kevo.chaos.run.Judge;
import io.kevo.testkit.KevoDistribution;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kevo-bench chaos}: one fault-injection run against real nodes, checked. Exit status 0 when
 * the history is valid, 1 when a checker found an anomaly, 2 when the run or a check could not
 * conclude.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run a primary and its replicas as real processes behind fault-injecting proxies, drive a"
          + " recorded register workload at them while nemeses kill, pause, partition and slow"
          + " them, then check the history: linearizable on the primary, no acknowledged write"
          + " lost, replica reads within their read-your-writes token and monotonic, and every"
          + " node converged. With --failover auto the nodes elect their primary and fail over"
          + " by themselves through a ZooKeeper the harness runs, which the zk-restart, zk-cut"
          + " and session-expire nemeses fault. With --shards N the cluster is sharded: N"
          + " shards of --nodes nodes each, which the split-kill (a split with the source's"
          + " primary killed during it) and shard-zk-cut (a whole shard cut off from ZooKeeper)"
          + " nemeses fault, checked per shard and across the merged history.",
      "Exit status: 0 valid, 1 an anomaly was found, 2 the run could not conclude."
    })
public final class ChaosCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description =
          "Nodes (the first starts as primary); with --shards, nodes per shard. Default:"
              + " ${DEFAULT-VALUE}")
  int nodes;

  @Option(
      names = "--shards",
      defaultValue = "0",
      description =
          "Run a sharded cluster of N shards (1..9), its first map split evenly over the"
              + " workload's keys, each shard a replication group of --nodes nodes started with"
              + " --shard; implies --failover auto, needs --ack replica:N or all. 0: unsharded."
              + " Default: ${DEFAULT-VALUE}")
  int shards;

  @Option(
      names = "--nemesis",
      split = ",",
      defaultValue = "kill,pause,partition,slow,large-writes,failover",
      description =
          "Faults to inject, comma-separated: kill, pause, partition, slow, large-writes, failover"
              + " (manual mode), zk-restart, zk-cut, session-expire (auto mode), split-kill,"
              + " shard-zk-cut (with --shards; large-writes and failover are not); 'none' for"
              + " none. Default: ${DEFAULT-VALUE}")
  List<String> nemeses;

  @Option(
      names = "--failover",
      paramLabel = "MODE",
      description =
          "auto: the nodes run with a coordinator (a ZooKeeper the harness runs, each node through"
              + " a proxy of its own) and elect their primary and fail over by themselves; manual:"
              + " the harness sets the roles and the 'failover' nemesis promotes by hand. Default:"
              + " auto when a coordinator nemesis (zk-restart, zk-cut, session-expire) or a shard"
              + " nemesis is asked for, or with --shards; else manual")
  String failover;

  @Option(
      names = "--duration",
      defaultValue = "60s",
      converter = Durations.Converter.class,
      description =
          "How long faults are injected under load (e.g. 90s, 5m). Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--seed",
      description = "Seeds the workload and the nemesis schedule. Default: the current time")
  Long seed;

  @Option(
      names = "--ack",
      defaultValue = "replica:1",
      description =
          "Acknowledgement level of every write: async, replica:N or all. Default: ${DEFAULT-VALUE}")
  String ack;

  @Option(
      names = "--out",
      description = "Output directory. Default: bench-results/chaos/<time>-seed<N>")
  Path out;

  @Option(
      names = "--clients",
      defaultValue = "6",
      description = "Clients of the register workload. Default: ${DEFAULT-VALUE}")
  int clients;

  @Option(
      names = "--keys",
      defaultValue = "20",
      description = "Keys of the register workload. Default: ${DEFAULT-VALUE}")
  int keys;

  @Option(
      names = "--op-timeout",
      defaultValue = "3s",
      converter = Durations.Converter.class,
      description = "Deadline of each call. Default: ${DEFAULT-VALUE}")
  Duration opTimeout;

  @Option(
      names = "--node-heap",
      defaultValue = "1g",
      description = "Each node's -Xmx. Default: ${DEFAULT-VALUE}")
  String nodeHeap;

  @Option(
      names = "--sync",
      defaultValue = "batch",
      description = "The nodes' WAL sync mode: none, batch or immediate. Default: ${DEFAULT-VALUE}")
  String sync;

  @Option(
      names = "--kevo-jar",
      description =
          "The kevo distribution's jar. Default: kevo-cli/target/kevo-cli.jar of this repository")
  Path kevoJar;

  @Option(
      names = "--keep-data",
      description =
          "Keep the nodes' data directories after a valid run (they are kept after an invalid one).")
  boolean keepData;

  @Option(
      names = "--check",
      paramLabel = "HISTORY",
      description =
          "Only check a recorded history (a run's history.jsonl) at the --ack level; no cluster runs.")
  Path check;

  @Override
  public Integer call() throws Exception {
    ZooKeeperHost.quietLogs();
    if (check != null) {
      Verdict v = Judge.recheck(check, ack);
      System.out.println(v.summary());
      v.results().stream()
          .filter(r -> r.status() != Status.VALID)
          .flatMap(r -> r.anomalies().stream())
          .findFirst()
          .ifPresent(a -> System.out.println("first anomaly: " + a.explanation()));
      return exitStatus(v);
    }
    long s = seed != null ? seed : System.currentTimeMillis();
    List<String> faults =
        nemeses.size() == 1 && nemeses.get(0).equals("none") ? List.of() : nemeses;
    boolean coordinated;
    try {
      Nemeses.named(faults); // fails early on a misspelled name
      coordinated = coordinated(failover, faults) || (failover == null && shards > 0);
      Nemeses.checkMode(faults, coordinated, shards > 0);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Path dir =
        out != null
            ? out
            : Path.of(
                "bench-results",
                "chaos",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-seed"
                    + s);
    ChaosOptions o;
    try {
      o =
          new ChaosOptions(
              nodes,
              faults,
              duration,
              s,
              ack,
              dir,
              clients,
              keys,
              opTimeout,
              List.of("-Xmx" + nodeHeap),
              sync,
              coordinated,
              shards);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    KevoDistribution distribution =
        kevoJar != null ? new KevoDistribution(kevoJar) : KevoDistribution.locate();
    List<String> notes = new ArrayList<>();
    notes.add(
        "seed "
            + s
            + ", "
            + nodes
            + " nodes, nemeses "
            + (faults.isEmpty() ? "none" : String.join(",", faults))
            + ", ack "
            + ack
            + ", "
            + duration.toSeconds()
            + " s of faults, "
            + clients
            + " clients on "
            + keys
            + " keys, sync "
            + sync
            + ", failover "
            + (coordinated ? "auto" : "manual")
            + (shards > 0 ? ", " + shards + " shards split at " + o.splitAt() : ""));
    notes.add(
        "replay: ./kevo-bench chaos --seed "
            + s
            + " --nodes "
            + nodes
            + " --nemesis "
            + (faults.isEmpty() ? "none" : String.join(",", faults))
            + " --ack "
            + ack
            + " --failover "
            + (coordinated ? "auto" : "manual")
            + (shards > 0 ? " --shards " + shards : "")
            + " --duration "
            + duration.toSeconds()
            + "s");
    System.out.println("chaos: " + notes.get(0) + "; output in " + dir.toAbsolutePath());
    Judge.Outcome outcome = new Judge(o, distribution).runAndCheck(notes);
    outcome.summary().forEach(System.out::println);
    Verdict v = outcome.verdict();
    if (v.status() == Status.VALID && !keepData) {
      Judge.deleteData(o);
    }
    return exitStatus(v);
  }

  /**
   * Whether the run is coordinated: as {@code --failover} says ({@code auto} or {@code manual}),
   * else when a coordinator nemesis is asked for.
   *
   * @throws IllegalArgumentException for another mode
   */
  static boolean coordinated(String failover, List<String> nemeses) {
    if (failover == null) {
      return Nemeses.needCoordinator(nemeses);
    }
    return switch (failover.trim()) {
      case "auto" -> true;
      case "manual" -> false;
      default ->
          throw new IllegalArgumentException(
              "--failover must be auto or manual, got '" + failover + "'");
    };
  }

  private static int exitStatus(Verdict v) {
    return switch (v.status()) {
      case VALID -> 0;
      case INVALID -> 1;
      default -> 2;
    };
  }
}
