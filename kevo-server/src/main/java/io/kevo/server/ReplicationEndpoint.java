package io.kevo.server;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import io.kevo.replication.StatusMapping;
import java.util.function.Supplier;

/**
 * {@code kevo.replication.WALReplicationService} as every node serves it: each call goes to the
 * current primary's service (so a replica promoted at run time serves replication at once, on the
 * port it already listens on); on a standalone node {@code FetchSnapshot} goes to its {@link
 * StandaloneSnapshots} (backups); any other call, while the node is not a primary, ends with {@code
 * FAILED_PRECONDITION} and the trailers {@code kevo-repl-error: NOT_PRIMARY} and {@code
 * kevo-primary} (when known). Stateless.
 */
final class ReplicationEndpoint {
  private ReplicationEndpoint() {}

  /**
   * @param current the primary's service now, or null
   * @param snapshots the service answering {@code FetchSnapshot} when there is no primary's, or
   *     null
   * @param primaryAddress the primary's client address now, or null
   */
  static ServerServiceDefinition create(
      Supplier<ServerServiceDefinition> current,
      ServerServiceDefinition snapshots,
      Supplier<String> primaryAddress) {
    ServiceDescriptor sd = WALReplicationServiceGrpc.getServiceDescriptor();
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(sd);
    for (MethodDescriptor<?, ?> m : sd.getMethods()) {
      Supplier<ServerServiceDefinition> target = current;
      if (snapshots != null
          && m.getFullMethodName()
              .equals(WALReplicationServiceGrpc.getFetchSnapshotMethod().getFullMethodName())) {
        target =
            () -> {
              ServerServiceDefinition d = current.get();
              return d != null ? d : snapshots;
            };
      }
      add(b, m, target, primaryAddress);
    }
    return b.build();
  }

  private static <Q, R> void add(
      ServerServiceDefinition.Builder b,
      MethodDescriptor<Q, R> method,
      Supplier<ServerServiceDefinition> current,
      Supplier<String> primaryAddress) {
    b.addMethod(
        method,
        (ServerCall<Q, R> call, Metadata headers) -> {
          ServerServiceDefinition d = current.get();
          if (d != null) {
            @SuppressWarnings("unchecked")
            ServerMethodDefinition<Q, R> target =
                (ServerMethodDefinition<Q, R>) d.getMethod(method.getFullMethodName());
            return target.getServerCallHandler().startCall(call, headers);
          }
          StatusRuntimeException refusal = StatusMapping.notPrimary(primaryAddress.get());
          call.close(refusal.getStatus(), refusal.getTrailers());
          return new ServerCall.Listener<>() {};
        });
  }
}
