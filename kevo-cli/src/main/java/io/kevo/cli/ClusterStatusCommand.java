package io.kevo.cli;

import io.kevo.coordination.ClusterView;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.ShardRange;
import io.kevo.coordination.SplitRecord;
import io.kevo.coordination.SplitStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kevo cluster status --coordinator ... --cluster NAME [--json]}: reads the cluster's shard
 * map, then each shard's replication group (one session per shard, closed before the next), and
 * prints them as a table ({@link ClusterStatusText}) or JSON ({@link ClusterStatusJson}). Exit
 * status 0; 1 if the cluster is not sharded or cannot be read; 2 if the coordinator cannot be
 * reached.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Print a sharded cluster's shards as its coordinator (ZooKeeper) knows them: each shard's"
          + " key range, primary, members and the most any member lags behind the primary; and the"
          + " splits under way."
    })
final class ClusterStatusCommand implements Callable<Integer> {
  @Mixin private ClusterFlags flags = new ClusterFlags();

  @Option(
      names = "--json",
      description = "Print one JSON document instead of the table, for scripts and monitoring.")
  private boolean json;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CoordinatorOptions options = flags.options(spec);
    return ClusterSession.run(
        options,
        err,
        coordinator -> {
          ShardMapStore store = new ShardMapStore(coordinator);
          Optional<ShardMap> map = store.read();
          if (map.isEmpty()) {
            err.println(
                "error: cluster "
                    + options.cluster()
                    + " is not sharded (no shard map at "
                    + store.path()
                    + "); kevo status shows an unsharded cluster");
            err.flush();
            return ExitCodes.COMMAND_FAILED;
          }
          List<ShardStatus> shards = shards(coordinator, map.get());
          List<SplitRecord> splits =
              new SplitStore(coordinator)
                  .all().stream()
                      .map(SplitStore.Held::record)
                      .filter(r -> !r.state().ended())
                      .toList();
          out.print(
              json
                  ? ClusterStatusJson.render(options, map.get(), shards, splits)
                  : ClusterStatusText.render(options, map.get(), shards, splits));
          out.flush();
          return ExitCodes.OK;
        });
  }

  /** Each shard's replication group, read on the command's one session. */
  private static List<ShardStatus> shards(Coordinator coordinator, ShardMap map) {
    List<ShardStatus> shards = new ArrayList<>();
    for (ShardRange range : map.shards()) {
      shards.add(new ShardStatus(range, ClusterView.read(coordinator.group(range.id()))));
    }
    return shards;
  }
}
