package io.kevo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kevo cluster}: the commands of a sharded cluster, whose shard map (which shard owns which
 * keys) lives on the coordinator: {@code init} ({@link ClusterInitCommand}) and {@code status}
 * ({@link ClusterStatusCommand}).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Sharded clusters: split the key space into shards, each a replication group of its own"
          + " (init), and show the shards with their primaries and lag (status)."
    },
    commandListHeading = "%nCommands:%n",
    subcommands = {ClusterInitCommand.class, ClusterStatusCommand.class, ClusterSplitCommand.class})
final class ClusterCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command (one of " + OneLineErrors.commands(spec.commandLine()) + ")");
  }
}
