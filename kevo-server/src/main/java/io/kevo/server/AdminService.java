package io.kevo.server;

import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.PromoteRequest;
import io.kevo.proto.replication.PromoteResponse;
import io.kevo.proto.replication.ReplicationAdminGrpc;
import io.kevo.proto.replication.RepointRequest;
import io.kevo.proto.replication.RepointResponse;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * {@code kevo.replication.ReplicationAdmin} ({@code kevo promote}, {@code kevo repoint}) over a
 * node's {@link NodeReplication}. Each call runs on {@code executor}: stopping a replica waits for
 * its thread, which must not hold up a transport thread. Failures become statuses through {@link
 * StatusMapper}. Thread-safe.
 */
final class AdminService extends ReplicationAdminGrpc.ReplicationAdminImplBase {
  private final NodeReplication node;
  private final Executor executor;

  AdminService(NodeReplication node, Executor executor) {
    this.node = node;
    this.executor = executor;
  }

  @Override
  public void promote(PromoteRequest request, StreamObserver<PromoteResponse> responses) {
    run(node::promote, responses);
  }

  @Override
  public void repoint(RepointRequest request, StreamObserver<RepointResponse> responses) {
    run(() -> node.repoint(request.getPrimaryAddress()), responses);
  }

  private <T> void run(Supplier<T> work, StreamObserver<T> responses) {
    try {
      executor.execute(
          () -> {
            T r;
            try {
              r = work.get();
            } catch (RuntimeException e) {
              responses.onError(StatusMapper.toException(e));
              return;
            }
            responses.onNext(r);
            responses.onCompleted();
          });
    } catch (RejectedExecutionException e) {
      responses.onError(
          StatusMapper.toException(
              new ServerException(ServerException.Reason.SHUTTING_DOWN, "the node is closing")));
    }
  }
}
