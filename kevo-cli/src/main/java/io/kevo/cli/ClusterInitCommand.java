package io.kevo.cli;

import io.kevo.cli.shell.ByteText;
import io.kevo.cli.shell.Report;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.ShardMapStore;
import io.kevo.coordination.ShardRange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kevo cluster init --coordinator ... --cluster NAME (--shards N | --split-at KEY,...)}:
 * writes a sharded cluster's first {@link ShardMap} (version 1) and prints its shards. Exit status
 * 0 when written; 1 if the cluster has a map already (left as it is); 2 for bad options (split
 * points checked, and the map's size, before anything is written) or an unreachable coordinator.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Make a cluster sharded: write its first shard map (version 1), which splits the key space"
          + " into shards, each a replication group of its own, either evenly (--shards) or at"
          + " keys you choose (--split-at); give one of the two. Then start each shard's nodes"
          + " with kevo server --coordinator ... --cluster NAME --shard ID."
    })
final class ClusterInitCommand implements Callable<Integer> {
  @Mixin private ClusterFlags flags = new ClusterFlags();

  @Option(
      names = "--shards",
      paramLabel = "N",
      description =
          "Split the key space into N shards, s1 to sN, evenly by the keys' first two bytes: for"
              + " keys spread over all byte values (hashes, random ids). 1 to "
              + ShardMap.MAX_SHARDS
              + ".")
  private Integer shards;

  @Option(
      names = "--split-at",
      split = ",",
      paramLabel = "KEY[,KEY...]",
      description =
          "Split the key space before each KEY, given in ascending order, into shards s1 to sN+1:"
              + " s1 holds the keys below the first KEY, the last one the keys from the last KEY"
              + " on. Keys are written as in kevo shell: UTF-8 text, \\xNN for a byte, double"
              + " quotes around a space or a comma (or \\x2c).")
  private List<String> splitAt;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CoordinatorOptions options = flags.options(spec);
    ShardMap map = map();
    return ClusterSession.run(
        options,
        err,
        coordinator -> {
          ShardMapStore store = new ShardMapStore(coordinator);
          try {
            store.create(map);
          } catch (IllegalArgumentException e) {
            // Too large for a znode: nothing was written, and fewer or shorter points will do.
            throw usage(e.getMessage());
          }
          out.print(render(options, store.path(), map));
          out.flush();
          return ExitCodes.OK;
        });
  }

  /** The map the options ask for; a bad request is a usage error, found before writing. */
  private ShardMap map() {
    if ((shards == null) == (splitAt == null)) {
      throw usage(
          shards == null
              ? "say how to split the key space: --shards N or --split-at KEY[,KEY...]"
              : "give either --shards or --split-at, not both");
    }
    try {
      return shards != null ? ShardMap.even(shards) : ShardMap.splitAt(points());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** The split points, each read as the shell reads a key, checked to ascend. */
  private List<byte[]> points() {
    List<byte[]> points = new ArrayList<>();
    for (String text : splitAt) {
      byte[] key = key(text);
      if (!points.isEmpty() && Arrays.compareUnsigned(key, points.get(points.size() - 1)) <= 0) {
        // ShardMap checks this too, but says it in hex; here it reads as the keys were typed.
        throw usage(
            "split points must ascend: "
                + ByteText.display(key)
                + " is not after "
                + ByteText.display(points.get(points.size() - 1)));
      }
      points.add(key);
    }
    return points;
  }

  private byte[] key(String text) {
    try {
      return ShardText.parseKey(text, "split point");
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** The shards written, one row each, and how to start their nodes. */
  static String render(CoordinatorOptions options, String path, ShardMap map) {
    Report report =
        new Report()
            .section(
                "Cluster "
                    + options.cluster()
                    + " is sharded: shard map version "
                    + map.version()
                    + ", "
                    + map.shards().size()
                    + (map.shards().size() == 1 ? " shard" : " shards")
                    + ", at "
                    + path);
    for (ShardRange shard : map.shards()) {
      report.row(shard.id(), ShardText.range(shard));
    }
    return report.render()
        + "\nStart each shard's nodes with: kevo server ... --coordinator "
        + options.connectString()
        + " --cluster "
        + options.cluster()
        + " --shard ID\n";
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
