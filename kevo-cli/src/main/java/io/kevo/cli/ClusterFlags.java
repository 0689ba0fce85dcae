package io.kevo.cli;

import io.kevo.coordination.CoordinatorOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The flags every {@code kevo cluster} command takes: the coordinator and the cluster. Not
 * thread-safe (picocli fills it once).
 */
final class ClusterFlags {
  @Option(
      names = "--coordinator",
      required = true,
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The cluster's ZooKeeper ensemble.")
  String coordinator;

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "NAME",
      description = "The cluster's name, as its nodes are given it with kevo server --cluster.")
  String cluster;

  /** The options of the cluster's root (where the shard map lives); bad flags are usage errors. */
  CoordinatorOptions options(CommandSpec spec) {
    try {
      return CoordinatorOptions.of(coordinator, cluster);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
