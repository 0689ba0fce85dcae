package io.kevo.cli;

import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.ShardSplit;
import io.kevo.coordination.SplitRecord;
import io.kevo.coordination.SplitStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kevo cluster split --coordinator ... --cluster NAME SHARD --at KEY [--into ID]}: splits a
 * shard online ({@link ShardSplit}) and prints each step; {@code --abort} gives up a split under
 * way. Exit status 0 when the new shard serves its keys (or the split was aborted); 1 if a stage
 * timed out or the cluster refused (the message says what is left); 2 for bad options, a split that
 * does not fit the map (nothing written) or an unreachable coordinator.
 */
@Command(
    name = "split",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Split a shard online at a key: a new shard takes the keys from KEY to the end of SHARD's"
          + " range. Start the new shard's nodes (kevo server ... --shard ID) before or while this"
          + " runs: they copy SHARD's data and log, then SHARD stops serving the moving keys, the"
          + " new shard catches up to that point, the shard map flips and the new shard elects"
          + " its primary. Only the moving keys pause, from the fence until the new primary is"
          + " elected. Run it again to resume a split that stopped; --abort gives one up."
    })
final class ClusterSplitCommand implements Callable<Integer> {
  @Mixin private ClusterFlags flags = new ClusterFlags();

  @Parameters(index = "0", paramLabel = "SHARD", description = "The shard to split, e.g. s1.")
  private String shard;

  @Option(
      names = "--at",
      paramLabel = "KEY",
      description =
          "The new shard's first key, inside SHARD's range (after its first key). Written as in"
              + " kevo shell: UTF-8 text, \\xNN for a byte.")
  private String at;

  @Option(
      names = "--into",
      paramLabel = "ID",
      description = "The new shard's id (default: s<N+1> for the lowest N free in the map).")
  private String into;

  @Option(
      names = "--learn-timeout",
      paramLabel = "DURATION",
      description =
          "How long the new shard's nodes may take to catch up (default: ${DEFAULT-VALUE}).",
      defaultValue = "10m")
  private String learnTimeout;

  @Option(
      names = "--fence-timeout",
      paramLabel = "DURATION",
      description =
          "How long the moving keys may stay paused before the split is given up and SHARD"
              + " serves them again (default: ${DEFAULT-VALUE}).",
      defaultValue = "30s")
  private String fenceTimeout;

  @Option(names = "--abort", description = "Give up SHARD's split under way.")
  private boolean abort;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CoordinatorOptions options = flags.options(spec);
    if (abort) {
      return ClusterSession.run(
          options,
          err,
          coordinator -> {
            SplitRecord r =
                new ShardSplit(coordinator, ShardSplit.Settings.defaults(), line -> {})
                    .abort(shard, "aborted by kevo cluster split --abort");
            out.println(
                r.state() == SplitRecord.State.DONE
                    ? "The split " + r.describe() + " had flipped the map: recorded it as done"
                    : "Gave up the split "
                        + r.describe()
                        + "; shard "
                        + shard
                        + " serves its whole range again");
            out.flush();
            return ExitCodes.OK;
          });
    }
    if (at == null) {
      throw usage("say where to split: --at KEY (or --abort)");
    }
    byte[] key;
    ShardSplit.Settings settings;
    try {
      key = ShardText.parseKey(at, "split point");
      settings =
          new ShardSplit.Settings(
              ServerCommand.duration(learnTimeout), ServerCommand.duration(fenceTimeout), 1_000);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    return ClusterSession.run(
        options,
        err,
        coordinator -> {
          String to = into != null ? into : newId(coordinator);
          ShardSplit split =
              new ShardSplit(
                  coordinator,
                  settings,
                  line -> {
                    out.println(line);
                    out.flush();
                  });
          ShardSplit.Outcome o;
          try {
            o = split.run(shard, key, to);
          } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
          }
          out.println(
              "Split shard "
                  + shard
                  + " at "
                  + io.kevo.cli.shell.ByteText.display(key)
                  + ": shard "
                  + to
                  + " "
                  + ShardText.range(o.map().shard(to).orElseThrow())
                  + " (shard map version "
                  + o.map().version()
                  + "), primary "
                  + o.newPrimary()
                  + "; the moving keys paused "
                  + o.pause().toMillis()
                  + " ms");
          out.flush();
          return ExitCodes.OK;
        });
  }

  /**
   * The id a split names its new shard by default: {@code s<N>} for the lowest N above every {@code
   * s<number>} id in the map and the split records, so that an aborted split's id is not taken
   * again by another split while its nodes may still run.
   */
  private String newId(io.kevo.coordination.Coordinator coordinator) {
    ShardMap map =
        new ShardMapStore(coordinator)
            .read()
            .orElseThrow(
                () ->
                    new io.kevo.coordination.CoordinationException(
                        "cluster " + flags.cluster + " is not sharded (no shard map)"));
    var under = new SplitStore(coordinator).read(shard).filter(h -> !h.record().state().ended());
    if (under.isPresent()) {
      return under.get().record().to(); // resuming
    }
    long highest = 0;
    for (var r : map.shards()) {
      highest = Math.max(highest, number(r.id()));
    }
    for (var h : new SplitStore(coordinator).all()) {
      highest = Math.max(highest, number(h.record().to()));
    }
    return "s" + (highest + 1);
  }

  private static long number(String id) {
    if (id.length() > 1
        && id.charAt(0) == 's'
        && id.substring(1).chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(id.substring(1));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
