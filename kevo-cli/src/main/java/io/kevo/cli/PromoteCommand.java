package io.kevo.cli;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.kevo.proto.replication.EpochRecord;
import io.kevo.proto.replication.PromoteRequest;
import io.kevo.proto.replication.PromoteResponse;
import io.kevo.proto.replication.ReplicationAdminGrpc;
import io.kevo.wire.WireMetadata;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kevo promote HOST:PORT}: makes the replica at that address a primary with a new epoch.
 * Exit status 0 (also if it already is the primary), 2 if it failed.
 */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Turn a replica into a primary with a new epoch: it stops following its primary, serves"
          + " writes and replication at once, and replicas that have seen the new epoch refuse"
          + " the old primary.",
      "Stop (or cut off) the old primary first, promote the replica that is furthest ahead,"
          + " then repoint the other replicas at it. Restart the promoted node with --role"
          + " primary from then on."
    })
final class PromoteCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The replica's client address.")
  private String endpoint;

  @Option(
      names = "--force",
      description =
          "On a node with automatic failover (--coordinator): make it the primary although no"
              + " replica qualifies for election; writes it lacks are lost. Refused while another"
              + " member leads (use kevo switchover).")
  private boolean force;

  @Mixin private ClientTlsFlags tls = new ClientTlsFlags();

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return AdminCall.run(
        endpoint,
        tls,
        "promoting",
        stub -> withForce(stub, force).promote(PromoteRequest.getDefaultInstance()),
        PromoteCommand::describe,
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  private static ReplicationAdminGrpc.ReplicationAdminBlockingStub withForce(
      ReplicationAdminGrpc.ReplicationAdminBlockingStub stub, boolean force) {
    if (!force) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(WireMetadata.FORCE, "true");
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  static String describe(PromoteResponse r) {
    EpochRecord e = r.getEpoch();
    return (r.getAlreadyPrimary() ? "already the primary: " : "promoted: ")
        + "epoch "
        + e.getEpoch()
        + " (term "
        + e.getTermId()
        + ", from sequence "
        + e.getStartSequence()
        + ")";
  }
}
