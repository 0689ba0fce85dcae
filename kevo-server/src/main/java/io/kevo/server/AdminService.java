package io.kevo.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.StreamObserver;
import io.kevo.proto.replication.PromoteRequest;
import io.kevo.proto.replication.PromoteResponse;
import io.kevo.proto.replication.ReplicationAdminGrpc;
import io.kevo.proto.replication.RepointRequest;
import io.kevo.proto.replication.RepointResponse;
import io.kevo.wire.WireMetadata;
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

  /** Reads {@code kevo-force} into {@link #FORCE} for the call. */
  static final ServerInterceptor FORCE_HEADER =
      new ServerInterceptor() {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
          boolean force = "true".equalsIgnoreCase(headers.get(WireMetadata.FORCE));
          return Contexts.interceptCall(
              Context.current().withValue(FORCE, force), call, headers, next);
        }
      };

  private static final Context.Key<Boolean> FORCE = Context.keyWithDefault("kevo-force", false);

  /**
   * Promotes this node: a replica by hand ({@link NodeReplication#promote()}); on a node with
   * automatic failover, only with {@code kevo-force} ({@link ForcedPromotion}).
   */
  @Override
  public void promote(PromoteRequest request, StreamObserver<PromoteResponse> responses) {
    CoordinatedNode coordinated = node.coordinated();
    if (coordinated != null) {
      boolean force = FORCE.get();
      run(() -> ForcedPromotion.promote(coordinated, node, force), responses);
      return;
    }
    run(node::promote, responses);
  }

  @Override
  public void repoint(RepointRequest request, StreamObserver<RepointResponse> responses) {
    if (node.coordinated() != null) {
      responses.onError(
          StatusMapper.toException(
              new ServerException(
                  ServerException.Reason.BAD_REQUEST,
                  "this node takes part in automatic failover: it follows the primary its cluster"
                      + " elects; to move the primary, use kevo switchover")));
      return;
    }
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
