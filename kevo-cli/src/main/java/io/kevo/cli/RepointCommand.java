package io.kevo.cli;

import io.kevo.proto.replication.RepointRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kevo repoint HOST:PORT --primary NEW}: makes the replica at HOST:PORT follow the primary
 * at NEW. Exit status 0, or 2 if it failed.
 */
@Command(
    name = "repoint",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Point a replica at another primary (after a promotion). The replica checks the new"
          + " primary's epoch history first: it refuses an older primary, and discards (and"
          + " records) entries the new primary's history does not have.",
      "Not persisted: after a restart, the node's --primary flag rules."
    })
final class RepointCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The replica's client address.")
  private String endpoint;

  @Option(
      names = "--primary",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The new primary's client address.")
  private String primary;

  @Mixin private ClientTlsFlags tls = new ClientTlsFlags();

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return AdminCall.run(
        endpoint,
        tls,
        "repointing",
        stub -> stub.repoint(RepointRequest.newBuilder().setPrimaryAddress(primary).build()),
        r -> r.getMessage(),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
