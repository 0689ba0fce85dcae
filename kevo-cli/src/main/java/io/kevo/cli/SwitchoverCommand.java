package io.kevo.cli;

import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.ClusterView;
import io.kevo.coordination.CoordinationException;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.FailoverRecord;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.SwitchoverRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kevo switchover --coordinator ... --cluster NAME --to NODE}: a planned move of the primary
 * role to another member. The primary waits for the target to come close, pauses writes, waits for
 * it to hold every entry, and hands over; the target is elected at once with a new epoch. Exit
 * status 0 when the target leads, 1 if the switchover was refused or timed out, 2 if the
 * coordinator cannot be reached.
 */
@Command(
    name = "switchover",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Move the primary role of a cluster with automatic failover to another member, losing no"
          + " acknowledged write: the primary waits for the target to catch up, pauses writes"
          + " (normally well under a second), and hands over; the target leads with a new epoch"
          + " and the old primary follows it."
    })
final class SwitchoverCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(20);

  @Option(
      names = "--coordinator",
      required = true,
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The cluster's ZooKeeper ensemble.")
  private String coordinator;

  @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
  private String cluster;

  @Option(
      names = "--shard",
      paramLabel = "ID",
      description =
          "In a sharded cluster, the shard whose primary role moves (each shard is a replication"
              + " group of its own).")
  private String shard;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "NODE",
      description = "The member to make primary: its node id or its HOST:PORT.")
  private String to;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "How long to wait for the move. Default: 30s")
  private String timeout = "30s";

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration wait;
    CoordinatorOptions options;
    try {
      wait = ServerCommand.duration(timeout);
      options = CoordinatorOptions.of(coordinator, cluster);
      if (shard != null) {
        options = options.forShard(shard);
      }
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    }
    try (Coordinator c = Coordinator.start(options)) {
      if (!c.awaitLive(options.sessionTimeout())) {
        err.println("error: cannot reach the coordinator at " + coordinator);
        err.flush();
        return ExitCodes.FATAL;
      }
      int status = switchOver(c, wait, out, err);
      out.flush();
      err.flush();
      return status;
    } catch (CoordinationException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.COMMAND_FAILED;
    }
  }

  private int switchOver(Coordinator c, Duration wait, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    if (shard == null && new ShardMapStore(c).read().isPresent()) {
      err.println(
          "error: cluster "
              + cluster
              + " is sharded: say whose primary role moves with --shard ID (kevo cluster status"
              + " lists the shards)");
      return ExitCodes.COMMAND_FAILED;
    }
    ClusterView view = ClusterView.read(c);
    Optional<MemberInfo> primary = view.primaryMember();
    if (primary.isEmpty()) {
      err.println(
          "error: "
              + (shard == null ? "cluster " + cluster : "shard " + shard + " of cluster " + cluster)
              + " has no primary to switch over from");
      return ExitCodes.COMMAND_FAILED;
    }
    Optional<MemberInfo> target =
        view.members().stream()
            .filter(m -> m.id().equals(to) || m.clientAddress().equals(to))
            .findFirst();
    if (target.isEmpty()) {
      err.println(
          "error: no live member "
              + to
              + (shard == null ? " in cluster " + cluster : " in shard " + shard)
              + " (members: "
              + view.members().stream()
                  .map(m -> m.id() + " at " + m.clientAddress())
                  .collect(Collectors.joining(", "))
              + ")");
      return ExitCodes.COMMAND_FAILED;
    }
    String id = target.get().id();
    if (id.equals(primary.get().id())) {
      out.println(id + " is already the primary (epoch " + primary.get().epoch() + ")");
      return ExitCodes.OK;
    }
    ClusterRecords records = new ClusterRecords(c);
    records.requestSwitchover(SwitchoverRequest.to(id, System.currentTimeMillis()));
    long deadline = System.nanoTime() + wait.toNanos();
    long pausedAt = 0;
    while (System.nanoTime() - deadline < 0) {
      Optional<FailoverRecord> f = records.lastFailover();
      if (f.isPresent() && f.get().to().equals(id) && f.get().epoch() > view.epoch()) {
        out.println(
            "switched over from "
                + primary.get().id()
                + " to "
                + id
                + " (epoch "
                + f.get().epoch()
                + ")"
                + (pausedAt > 0
                    ? "; writes paused " + (f.get().atMillis() - pausedAt) + " ms"
                    : ""));
        return ExitCodes.OK;
      }
      Optional<SwitchoverRequest> r = records.switchover();
      if (r.isPresent()) {
        pausedAt = Math.max(pausedAt, r.get().pausedAtMillis());
        if (r.get().isRefused()) {
          records.clearSwitchover();
          err.println("error: switchover to " + id + " " + r.get().state());
          return ExitCodes.COMMAND_FAILED;
        }
      }
      Thread.sleep(POLL.toMillis());
    }
    records.clearSwitchover();
    err.println(
        "error: switchover to "
            + id
            + " did not complete within "
            + timeout
            + "; the request was withdrawn (see the primary's log)");
    return ExitCodes.COMMAND_FAILED;
  }
}
